package clinicrelay.ingest;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.journal.DurableBatch;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalUnavailableException;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stores each event exactly once: the step between a verified request and its answer.
 *
 * <p>An event is ACCEPTED only after its record is forced to disk, and DUPLICATE when its
 * key was stored before (also before a restart: the set is rebuilt from the journal).
 * Two requests with the same key at the same moment meet in {@code inFlight}: the second
 * waits for the first's write and answers DUPLICATE if it succeeded, or tries the write
 * itself if it failed. A reservation ends only when its write ends, never on a timeout,
 * so a slow write can never be doubled by a retry racing it.
 */
public final class EventIngest {
    /** Longest a request waits for its record to be durable: inside Zocdoc's 5 s
     *  timeout, so a stalled disk yields a dropped connection (redelivery), not a timeout. */
    public static final long APPEND_WAIT_MILLIS_MAX = 4000;
    /** Times a request retries after a concurrent same-key write failed. */
    private static final int CONCURRENT_FAILURE_RETRIES_MAX = 2;

    public enum Outcome { ACCEPTED, DUPLICATE }

    /** Told of each event once it is on disk, in journal order, on the journal's writer thread: must not block. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (event, receivedAt, key, position) -> { };

        /** @param position where the event's record is (see {@code Journal.read}) */
        void stored(AppointmentEvent event, Instant receivedAt, String journalKey, long position);
    }

    private final Journal journal;
    private final RecordCodec codec;
    private final SeenEvents seen;
    private final Clock clock;
    private final Listener listener;
    private final Capacity capacity;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    private EventIngest(Journal journal, RecordCodec codec, SeenEvents seen, Clock clock, Listener listener,
                        Capacity capacity) {
        this.journal = journal;
        this.codec = codec;
        this.seen = seen;
        this.clock = clock;
        this.listener = listener;
        this.capacity = capacity;
    }

    /** Collects stored event keys during journal replay; {@link #attach} then builds the ingest. */
    public static final class Replay implements Journal.ReplayVisitor {
        private final SeenEvents seen;

        /** @param dedupeWindow how long an event key is remembered, behind the newest event (DEDUPE_WINDOW) */
        public Replay(Duration dedupeWindow) {
            this.seen = new SeenEvents(dedupeWindow);
        }

        @Override
        public void visit(StoredRecord record) throws JournalCorruptException {
            if (record.type() == RecordType.EVENT_RECEIVED) {
                seen.add(seen.digest(record.key()), receivedAt(record));
            }
        }

        private static Instant receivedAt(StoredRecord record) throws JournalCorruptException {
            try {
                return Instant.parse(record.publicPart().string("received_at"));
            } catch (JsonException | RuntimeException unreadable) {
                throw new JournalCorruptException(record.segment(), record.offset(), "an event record has no readable received_at");
            }
        }

        /** The keys stored within the window (the live ingest's too, once attached), for a checkpoint. */
        public void writeState(DataOutputStream out) throws IOException {
            seen.writeTo(out);
        }

        /** Takes the keys a checkpoint holds; replay then adds those after it. */
        public void readState(DataInputStream in) throws IOException {
            seen.readFrom(in);
        }

        public EventIngest attach(Journal journal, RecordCodec codec, Clock clock) {
            return attach(journal, codec, clock, Listener.NONE);
        }

        public EventIngest attach(Journal journal, RecordCodec codec, Clock clock, Listener listener) {
            return attach(journal, codec, clock, listener, Capacity.UNLIMITED);
        }

        /** @param capacity asked before each new event is written; a refusal is an {@link OverCapacityException} */
        public EventIngest attach(Journal journal, RecordCodec codec, Clock clock, Listener listener, Capacity capacity) {
            return new EventIngest(journal, codec, seen, clock, listener, capacity);
        }
    }

    /** Whether an event with this journal key is stored (the sweep skips what a webhook already brought). */
    public boolean isStored(String journalKey) {
        return seen.contains(seen.digest(journalKey));
    }

    public Outcome ingest(AppointmentEvent event, byte[] rawBody, String signatureScheme)
            throws JournalUnavailableException {
        String key = event.journalKey();
        SeenEvents.Digest digest = seen.digest(key);
        for (int attempt = 0; attempt <= CONCURRENT_FAILURE_RETRIES_MAX; attempt++) {
            if (seen.contains(digest)) {
                return Outcome.DUPLICATE;
            }
            String refusal = capacity.refusal();
            if (refusal != null) {
                throw new OverCapacityException(refusal); // a duplicate needs no room; a new event does
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> other = inFlight.putIfAbsent(key, mine);
            if (other != null) {
                if (await(other)) {
                    return Outcome.DUPLICATE;
                }
                continue;
            }
            if (seen.contains(digest)) {
                // Stored between our first look and our reservation.
                inFlight.remove(key, mine);
                mine.complete(null);
                return Outcome.DUPLICATE;
            }
            if (write(key, digest, event, rawBody, signatureScheme, mine)) {
                return Outcome.ACCEPTED;
            }
            throw new JournalUnavailableException("event not stored", null);
        }
        throw new JournalUnavailableException("concurrent deliveries of this event keep failing to store", null);
    }

    /**
     * Appends the event and waits for it. Once it is on disk — on the writer thread, in
     * journal order — it joins the seen set and the listener hears of it; then the
     * reservation ends either way.
     *
     * @return true when stored, false when the journal refused it
     * @throws JournalUnavailableException when it was not forced in time (it may still be)
     */
    private boolean write(String key, SeenEvents.Digest digest, AppointmentEvent event, byte[] rawBody, String scheme,
                          CompletableFuture<Void> mine) throws JournalUnavailableException {
        Instant receivedAt = clock.instant();
        DurableBatch.InJournalOrder stored = (position, failure) -> {
            if (failure == null) {
                seen.add(digest, receivedAt);
                listener.stored(event, receivedAt, key, position);
            }
            inFlight.remove(key, mine);
            if (failure == null) {
                mine.complete(null);
            } else {
                mine.completeExceptionally(failure);
            }
        };
        DurableBatch batch = new DurableBatch(journal, codec, APPEND_WAIT_MILLIS_MAX);
        try {
            batch.add(List.of(EventRecords.toRecord(event, rawBody, scheme, receivedAt)), stored);
        } catch (RuntimeException encodingFailed) {
            inFlight.remove(key, mine);
            mine.completeExceptionally(encodingFailed);
            throw encodingFailed;
        }
        return settled(batch.commit());
    }

    /** Waits for a concurrent request's write of the same event: true when it stored it. */
    private static boolean await(CompletableFuture<Void> write) throws JournalUnavailableException {
        return settled(DurableBatch.await(write, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(APPEND_WAIT_MILLIS_MAX)));
    }

    /**
     * @return true when the write succeeded, false when it failed
     * @throws JournalUnavailableException when it did not finish in time (it may still succeed)
     */
    private static boolean settled(DurableBatch.Outcome outcome) throws JournalUnavailableException {
        switch (outcome) {
            case STORED:
                return true;
            case REFUSED:
                return false;
            default:
                throw new JournalUnavailableException("journal write did not finish in time", null);
        }
    }

    /** Distinct events stored, for /health. */
    public int storedEvents() {
        return seen.size();
    }
}
