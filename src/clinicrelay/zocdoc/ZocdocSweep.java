package clinicrelay.zocdoc;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Timestamps;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.DurableBatch;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Catches what webhooks missed (docs/providers.md "Zocdoc"): every interval,
 * lists the appointments modified since the newest change the last sweep saw (minus
 * {@link #OVERLAP}), oldest change first, and feeds each version we do not hold into the same enrichment path as a
 * thin webhook — as a thin event of source {@link #SOURCE}, so its id can never collide
 * with a webhook's, while the fetched details (one event id per version) make a later
 * duplicate webhook a no-op. The high-water mark is journaled, so a restart resumes it.
 */
public final class ZocdocSweep implements AutoCloseable {
    public static final String SOURCE = "zocdoc-sweep";
    /**
     * Each sweep looks this much further back than the newest change the last one saw:
     * changes can become visible to the list a little after their stamp. Versions already
     * held are skipped, so a wide overlap costs one list call, not fetches.
     */
    static final Duration OVERLAP = Duration.ofMinutes(10);
    /** Pages read in one sweep at most (100 changes each); more are read by the next, soon after. */
    static final int PAGES_PER_SWEEP_MAX = 50;
    /** The first sweep after start-up runs this soon. */
    static final Duration FIRST_DELAY = Duration.ofSeconds(30);
    /** When the list was cut off at the API's 1 000 appointments, the next sweep runs this soon. */
    static final Duration CATCH_UP_DELAY = Duration.ofSeconds(10);
    private static final String MARK_KEY = "zocdoc-sweep";

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

        /** Starts from a checkpoint's mark; marks replayed after it replace it. */
        public void restore(Instant mark) {
            through = mark;
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
    private volatile Instant failingSince;
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
                Thread.currentThread().interrupt();
            } catch (ZocdocApiException | JournalUnavailableException | RuntimeException failed) {
                log.warn("zocdoc sweep failed; the next one covers the same time", Field.reason(
                        failed instanceof RuntimeException ? failed.getClass().getSimpleName() : failed.getMessage()));
            } finally {
                // whatever happened (even an Error), the sweeps go on until the relay stops
                if (!timer.isShutdown() && !Thread.currentThread().isInterrupted()) {
                    schedule(next);
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One sweep: lists every change since the mark (minus {@link #OVERLAP}), feeds the
     * versions we do not hold, and journals the newest change seen as the new mark. The mark
     * is Zocdoc's own time, never ours, so a difference between the clocks loses nothing. The
     * first sweep ever looks back one interval. On failure the mark stays where it was.
     */
    public synchronized Result runOnce() throws ZocdocApiException, JournalUnavailableException, InterruptedException {
        try {
            Result result = sweep();
            failingSince = null;
            return result;
        } catch (ZocdocApiException | JournalUnavailableException | RuntimeException failed) {
            if (failingSince == null) {
                failingSince = clock.instant();
            }
            throw failed;
        }
    }

    /** When the sweeps started failing (the first of an unbroken run of failures), or null while they succeed. */
    public Instant failingSince() {
        return failingSince;
    }

    /** How often the sweep runs. */
    public Duration interval() {
        return interval;
    }

    private Result sweep() throws ZocdocApiException, JournalUnavailableException, InterruptedException {
        Instant since = (through != null ? through : clock.instant().minus(interval)).minus(OVERLAP);
        Instant cursor = since;
        int pageIndex = 0;
        Instant newest = through;
        int listed = 0;
        int fed = 0;
        boolean cutOff = false;
        Set<String> versionsSeen = new HashSet<>();
        for (int pages = 1; ; pages++) {
            if (pages > PAGES_PER_SWEEP_MAX) {
                cutOff = true;
                break;
            }
            ZocdocApi.Page page = api.modifiedSince(cursor, pageIndex);
            Instant newestOnPage = null;
            for (JsonObject appointment : page.appointments()) {
                listed++;
                String id = appointment.string("appointment_id");
                String lastModified = appointment.string("last_modified_time_utc");
                Instant modified = Timestamps.parseUtcInstant(lastModified);
                if (id == null || modified == null) {
                    continue;
                }
                if (newestOnPage == null || modified.isAfter(newestOnPage)) {
                    newestOnPage = modified;
                }
                if (versionsSeen.add(id + "|" + lastModified) && feed(id, lastModified, appointment)) {
                    fed++;
                }
            }
            if (newestOnPage != null && (newest == null || newestOnPage.isAfter(newest))) {
                newest = newestOnPage;
            }
            if (!page.more()) {
                break;
            }
            if (newestOnPage != null && newestOnPage.isAfter(cursor)) {
                cursor = newestOnPage; // on from the newest change: what shares its instant comes again, and is skipped
                pageIndex = 0;
            } else if (pageIndex < ZocdocApi.LIST_PAGES_MAX) {
                pageIndex++; // a whole page of one instant: page through that instant
            } else {
                cutOff = true; // more changes in one instant than the API lists: the rest next time
                break;
            }
        }
        Instant mark = newest != null ? newest : since.plus(OVERLAP);
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
        AppointmentEvent thin = AppointmentEvent.builder(SOURCE, EventShape.THIN, EventType.UPDATED)
                .eventId(eventId)
                .rawType("sweep")
                .appointmentId(appointmentId)
                .updatedAt(lastModified)
                .build();
        byte[] kept = ZocdocApiDetails.minimumNecessary(listed, null); // never the notes or anything unused
        return ingest.ingest(thin, kept, SOURCE) == EventIngest.Outcome.ACCEPTED;
    }

    private void record(Instant mark, int listed, int fed) throws JournalUnavailableException {
        JournalRecord record = new JournalRecord(RecordType.ZOCDOC_SWEPT, MARK_KEY, new JsonBuilder().beginObject()
                .member("through", mark.toString()).member("listed", listed).member("fed", fed).endObject().toBytes(), null);
        DurableBatch batch = new DurableBatch(journal, codec, EventIngest.APPEND_WAIT_MILLIS_MAX);
        batch.add(record);
        if (batch.commit() != DurableBatch.Outcome.STORED) {
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
