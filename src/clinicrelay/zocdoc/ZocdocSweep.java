package clinicrelay.zocdoc;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventType;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.JournalUnavailableException;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonObject;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.source.ZocdocApiDetails;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Catches what webhooks missed (issue 4, research/zocdoc-api.md point 4): every interval,
 * lists the appointments modified since the last sweep (minus {@link #OVERLAP}), oldest
 * change first, and feeds each version we do not hold into the same enrichment path as a
 * thin webhook — as a thin event of source {@link #SOURCE}, so its id can never collide
 * with a webhook's, while the fetched details (one event id per version) make a later
 * duplicate webhook a no-op. The high-water mark is journaled, so a restart resumes it.
 */
public final class ZocdocSweep implements AutoCloseable {
    public static final String SOURCE = "zocdoc-sweep";
    /** Each sweep looks this much further back than the last one ended: clocks differ, writes land late. */
    static final Duration OVERLAP = Duration.ofMinutes(2);
    /** The first sweep after start-up runs this soon. */
    static final Duration FIRST_DELAY = Duration.ofSeconds(30);
    /** When the list was cut off at the API's 1 000 appointments, the next sweep runs this soon. */
    static final Duration CATCH_UP_DELAY = Duration.ofSeconds(10);
    private static final String MARK_KEY = "zocdoc-sweep";
    /** The list API returns at most this many appointments for one query. */
    static final int LISTED_MAX = 1_000;

    /** Reads the last high-water mark while the journal replays. */
    public static final class Replay implements Journal.ReplayVisitor {
        private Instant through;

        @Override
        public void visit(StoredRecord record) throws JournalCorruptException {
            if (record.type() != RecordType.ZOCDOC_SWEPT) {
                return;
            }
            try {
                through = Instant.parse(record.publicPart().string("through"));
            } catch (RuntimeException | clinicrelay.json.JsonException unreadable) {
                throw new JournalCorruptException(record.segment(), record.offset(), "a ZOCDOC_SWEPT record cannot be read");
            }
        }

        /** The last journaled mark, or null before the first sweep. */
        public Instant through() {
            return through;
        }
    }

    /** What one sweep did, for logs and tests. */
    public record Result(int listed, int fed, Instant through, boolean cutOff) {
    }

    private final ZocdocApi api;
    private final EventIngest ingest;
    private final Journal journal;
    private final RecordCodec codec;
    private final Clock clock;
    private final Duration interval;
    private final Log log;
    private Instant through;
    private ScheduledExecutorService timer;

    public ZocdocSweep(ZocdocApi api, EventIngest ingest, Journal journal, RecordCodec codec, Clock clock, Duration interval,
                       Instant lastThrough, Log log) {
        this.api = api;
        this.ingest = ingest;
        this.journal = journal;
        this.codec = codec;
        this.clock = clock;
        this.interval = interval;
        this.through = lastThrough;
        this.log = log;
    }

    /** Sweeps every interval on a daemon thread, the first time {@link #FIRST_DELAY} after start. */
    public void start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "zocdoc-sweep");
            thread.setDaemon(true);
            return thread;
        });
        timer = executor;
        schedule(FIRST_DELAY);
    }

    private void schedule(Duration delay) {
        timer.schedule(() -> {
            Duration next = interval;
            try {
                next = runOnce().cutOff() ? CATCH_UP_DELAY : interval;
            } catch (InterruptedException stopped) {
                return;
            } catch (ZocdocApiException | JournalUnavailableException | RuntimeException failed) {
                log.warn("zocdoc sweep failed; the next one covers the same time", Field.reason(
                        failed instanceof RuntimeException ? failed.getClass().getSimpleName() : failed.getMessage()));
            }
            if (!timer.isShutdown()) {
                schedule(next);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One sweep: lists, feeds what is new, journals the new mark. The first sweep ever looks
     * back one interval. On failure the mark stays, so the next sweep covers the same time.
     */
    public synchronized Result runOnce() throws ZocdocApiException, JournalUnavailableException, InterruptedException {
        Instant started = clock.instant();
        Instant since = (through != null ? through : started.minus(interval)).minus(OVERLAP);
        ZocdocApi.Page page = api.modifiedSince(since);
        int listed = 0;
        int fed = 0;
        Instant newest = null;
        for (int pages = 1; ; pages++) {
            for (JsonObject appointment : page.appointments()) {
                listed++;
                String id = appointment.string("appointment_id");
                String lastModified = appointment.string("last_modified_time_utc");
                if (id == null || lastModified == null) {
                    continue;
                }
                Instant modified = ZocdocApiDetails.utcInstant(lastModified);
                if (modified != null && (newest == null || modified.isAfter(newest))) {
                    newest = modified;
                }
                if (feed(id, lastModified, appointment)) {
                    fed++;
                }
            }
            if (page.nextUrl() == null || pages > ZocdocApi.LIST_PAGES_MAX) {
                break;
            }
            page = api.next(page.nextUrl());
        }
        // Cut off at the API's limit: the next sweep lists from exactly the newest change seen
        // (the list is sorted by it), without the overlap, or it would list the same 1 000 again.
        boolean cutOff = (page.nextUrl() != null || listed >= LISTED_MAX) && newest != null;
        Instant mark = cutOff ? newest.plus(OVERLAP) : started;
        record(mark, listed, fed);
        through = mark;
        log.info("zocdoc sweep", Field.count("listed", listed), Field.count("fed", fed), Field.reason(cutOff ? "cut off" : "-"));
        return new Result(listed, fed, mark, cutOff);
    }

    /** Feeds one listed version into enrichment unless we hold it already; true when fed. */
    private boolean feed(String appointmentId, String lastModified, JsonObject listed) throws JournalUnavailableException {
        if (ingest.isStored(ZocdocApiDetails.SOURCE + ":" + ZocdocApiDetails.eventId(appointmentId, lastModified))) {
            return false; // a webhook (or an earlier sweep) already brought this version
        }
        String eventId = ZocdocApiDetails.eventId(appointmentId, lastModified);
        AppointmentEvent thin = new AppointmentEvent(eventId, eventId, SOURCE, AppointmentEvent.SHAPE_THIN, EventType.UPDATED,
                "sweep", appointmentId, lastModified, null, null, null, null, null, null, null, List.of(), null, List.of());
        return ingest.ingest(thin, listed.toString().getBytes(StandardCharsets.UTF_8), SOURCE) == EventIngest.Outcome.ACCEPTED;
    }

    private void record(Instant mark, int listed, int fed) throws JournalUnavailableException, InterruptedException {
        JournalRecord record = new JournalRecord(RecordType.ZOCDOC_SWEPT, MARK_KEY, new JsonBuilder().beginObject()
                .member("through", mark.toString()).member("listed", listed).member("fed", fed).endObject().toBytes(), null);
        try {
            journal.append(codec.encodeFrame(record)).get(EventIngest.APPEND_WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notStored) {
            throw new JournalUnavailableException("sweep mark not stored", null);
        }
    }

    /** The mark the next sweep starts from (minus the overlap), or null before the first. */
    public synchronized Instant through() {
        return through;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
