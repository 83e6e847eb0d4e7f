package clinicrelay.forward;

import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalTail;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonException;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One target's thread: reads the journal from the target's cursor, sends events in
 * journal order (a batch at a time for Kafka), and moves the cursor past what the target
 * accepted. A failing target is retried with exponential backoff (or the wait it asks for
 * with {@code Retry-After}) on its own thread, so it holds up nothing else. A target that
 * has failed for {@link #GIVE_UP_AFTER} straight gives up on the event it is on — and on
 * each later one after a single try, until it answers again — so its cursor, and the
 * journal it holds back, keep moving; those events are dead for it, listed for the
 * operator to retry. 410 Gone switches the target off until the operator resumes it.
 */
final class TargetWorker implements Runnable {
    static final Duration BACKOFF_FIRST = Duration.ofSeconds(1);
    static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
    /** The longest {@code Retry-After} obeyed: a target asking for more is asked again after this. */
    static final Duration RETRY_AFTER_MAX = Duration.ofHours(1);
    /** How long a target may fail without a break before events are given up on (an outage of a day is survived). */
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    /** How often an idle or waiting worker looks again (new events, a moved clock, a resume). */
    static final long POLL_MILLIS = 20;
    /** How long a batching target waits for a fuller batch once it has caught up. */
    static final long BATCH_LINGER_MILLIS = 50;

    /** An event being sent, and why its last attempt failed. */
    private static final class Pending {
        final ForwardEvent event;
        String reason;

        Pending(ForwardEvent event) {
            this.event = event;
        }
    }

    private final ForwardTarget target;
    private final Sink sink;
    private final Journal journal;
    private final RecordCodec codec;
    private final ForwardPayloads payloads;
    private final ForwardLedger ledger;
    private final Clock clock;
    private final Log log;
    private final JournalTail tail;
    private final DeadEvents dead;
    private final List<Pending> batch = new ArrayList<>();
    private final AtomicBoolean retryDeadAsked = new AtomicBoolean();
    private final AtomicBoolean tryNowAsked = new AtomicBoolean();
    private volatile boolean running = true;
    private volatile Thread thread;
    /** Where the batch ends in the journal: the cursor once it is all through and nothing is put back. */
    private long batchEnd;
    private final TargetCursor cursor;
    /** Events a refused request handed back, oldest first: sent before anything more is read. */
    private final ArrayDeque<Pending> putBack = new ArrayDeque<>();
    private long batchStartedNanos;
    /** Whether the last fill read everything the journal had: only then is a batch worth waiting on. */
    private boolean caughtUp;
    /** The batch met an appointment it already holds: it goes as it is. */
    private boolean closed;
    private Instant failingSince;
    private int failuresInRow;
    private Instant nextAttemptAt = Instant.MIN;
    /** Events this worker still has to pass: those behind its cursor at start, plus those stored since, minus passed. */
    private final AtomicLong eventsBehind = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private volatile Instant oldestWaiting;
    private volatile String lastProblem;

    TargetWorker(ForwardTarget target, Sink sink, Journal journal, RecordCodec codec, ForwardPayloads payloads,
                 ForwardLedger ledger, Clock clock, Log log, java.nio.file.Path dataDir, long behindAtStart) {
        this.target = target;
        this.sink = sink;
        this.journal = journal;
        this.codec = codec;
        this.payloads = payloads;
        this.ledger = ledger;
        this.clock = clock;
        this.log = log;
        this.cursor = new TargetCursor(target.id(), journal, codec, ledger);
        this.batchEnd = cursor.position();
        this.tail = new JournalTail(dataDir, cursor.position(), log);
        this.dead = new DeadEvents(target, journal, codec, ledger, payloads, log);
        this.eventsBehind.set(behindAtStart);
    }

    ForwardTarget target() {
        return target;
    }

    /** An event was stored: one more to pass. */
    void stored() {
        eventsBehind.incrementAndGet();
        wake();
    }

    /** The operator says the target is fixed: the next try is now, not after the backoff. */
    void tryNow() {
        tryNowAsked.set(true);
        wake();
    }

    void retryDead() {
        retryDeadAsked.set(true);
        wake();
    }

    void wake() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** What the operator view and /metrics show of this target now. */
    ForwardStatus status() {
        Instant oldest = oldestWaiting;
        long lagSeconds = oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).getSeconds());
        return new ForwardStatus(target, ledger.isOff(target.id()), Math.max(0, eventsBehind.get()), lagSeconds,
                forwarded.get(), dead.givenUp(), lastProblem, ledger.deadOf(target.id()), ledger.deadDropped(target.id()));
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (running) {
                step();
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (IOException | JournalCorruptException unreadable) {
            // The journal under a settled position is unreadable: restart whole; start-up names the damage.
            log.error("forwarding cannot read the journal", Field.target(target.id()),
                    Field.reason(unreadable.getClass().getSimpleName()));
            throw new IllegalStateException("forwarding cannot read the journal", unreadable);
        } finally {
            cursor.save(true);
            try {
                tail.close();
            } catch (IOException ignored) {
                // a read-only file
            }
        }
    }

    void close() {
        running = false;
        wake();
    }

    private void step() throws IOException, JournalCorruptException, InterruptedException {
        fill();
        boolean off = ledger.isOff(target.id());
        if (!off && retryDeadAsked.getAndSet(false)) {
            String failed = dead.sendAgain(sink, forwarded, () -> running);
            if (failed != null) {
                lastProblem = failed;
            }
        }
        if (batch.isEmpty() || off) {
            cursor.save(false);
            pause(POLL_MILLIS);
            return;
        }
        if (caughtUp && !closed && batch.size() < sink.batchMax()
                && System.nanoTime() - batchStartedNanos < TimeUnit.MILLISECONDS.toNanos(BATCH_LINGER_MILLIS)) {
            pause(Math.min(POLL_MILLIS, BATCH_LINGER_MILLIS)); // a fuller batch is worth a few milliseconds
            return;
        }
        Instant now = clock.instant();
        if (tryNowAsked.getAndSet(false)) {
            clearFailures(); // a fixed or resumed target gets a full day of retries again
        }
        if (now.isBefore(nextAttemptAt)) {
            pause(POLL_MILLIS);
            return;
        }
        List<ForwardEvent> events = new ArrayList<>(batch.size());
        batch.forEach(p -> events.add(p.event));
        SinkAnswer answer = sink.send(events);
        answered(answer, now); // waits count from the attempt's start
    }

    /** Reads events into the batch up to its size; a batch keeps one event per appointment, so a retry never reorders one. */
    private void fill() throws IOException, JournalCorruptException {
        if (batch.size() >= sink.batchMax() || closed) {
            return;
        }
        long limit = journal.settledPosition();
        caughtUp = false;
        Set<String> keys = new HashSet<>();
        batch.forEach(p -> keys.add(key(p.event)));
        while (batch.size() < sink.batchMax() && !putBack.isEmpty()) {
            if (!keys.add(key(putBack.peekFirst().event))) {
                closed = true;
                return;
            }
            take(putBack.pollFirst());
        }
        while (batch.size() < sink.batchMax() && putBack.isEmpty()) {
            long before = tail.position();
            StoredRecord record = tail.next(limit);
            if (record == null) {
                caughtUp = true;
                break;
            }
            ForwardEvent event = event(record);
            if (event == null) {
                if (batch.isEmpty() && putBack.isEmpty()) {
                    cursor.skippedTo(tail.position()); // nothing to send before it
                }
                batchEnd = tail.position();
                continue;
            }
            if (!keys.add(key(event))) {
                tail.seek(before); // the appointment's next event waits for the next batch
                closed = true;
                break;
            }
            take(new Pending(event));
            batchEnd = tail.position();
        }
        if (batch.isEmpty()) {
            oldestWaiting = null;
        }
    }

    private void take(Pending pending) {
        if (batch.isEmpty()) {
            batchStartedNanos = System.nanoTime();
            oldestWaiting = pending.event.receivedAt();
        }
        batch.add(pending);
    }

    private static String key(ForwardEvent event) {
        return event.appointmentId() != null ? event.appointmentId() : event.eventKey();
    }

    /** The event a record holds (null for other records); one that cannot be read is given up on at once. */
    private ForwardEvent event(StoredRecord record) throws IOException, JournalCorruptException {
        try {
            return payloads.from(record, tail.position());
        } catch (JsonException | GeneralSecurityException | RuntimeException unreadable) {
            dead.giveUp(new ForwardLedger.Dead(record.position(), record.key(), null, "stored event unreadable", clock.instant()));
            passed();
            if (batch.isEmpty() && putBack.isEmpty()) {
                cursor.passedTo(tail.position());
            }
            return null;
        }
    }

    private void answered(SinkAnswer answer, Instant now) {
        if (answer.gone()) {
            clearFailures();
            ledger.switched(target.id(), true);
            journal.append(codec.encodeFrame(ForwardLedger.switchedRecord(target.id(), true, answer.firstReason())));
            lastProblem = answer.firstReason() + ": switched off";
            log.error("forwarding target answered 410 Gone: switched off until it is resumed in the operator view",
                    Field.target(target.id()));
            return;
        }
        if (answer.requestRefused() && batch.size() > 1) {
            halveBatch();
            return;
        }
        List<String> failures = answer.failures();
        closed = false;
        List<Pending> left = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            if (failures.get(i) == null) {
                passed();
                forwarded.incrementAndGet();
            } else {
                pending.reason = failures.get(i);
                left.add(pending);
            }
        }
        batch.clear();
        if (left.isEmpty()) {
            clearFailures();
            lastProblem = null;
            allDone();
            return;
        }
        if (failingSince == null) {
            failingSince = now;
        }
        // Some records taken: the target is up, and what it refused is tried again soon with the next batch.
        failuresInRow = left.size() < failures.size() ? 1 : failuresInRow + 1;
        lastProblem = answer.firstReason();
        log.warnThrottled("forward_failed_" + target.id(), "forwarding target did not take events; trying again later",
                Field.target(target.id()), Field.reason(lastProblem), Field.count("events", left.size()));
        if (!now.isBefore(failingSince.plus(GIVE_UP_AFTER))) {
            for (Pending pending : left) {
                dead.giveUp(new ForwardLedger.Dead(pending.event.position(), pending.event.eventKey(),
                        pending.event.appointmentId(), pending.reason, now));
                passed();
            }
            allDone();
            return;
        }
        batch.addAll(left);
        oldestWaiting = batch.get(0).event.receivedAt();
        nextAttemptAt = now.plus(wait(failuresInRow, answer.retryAfter()));
    }

    /**
     * The target refused the request for what is in it: the second half of the batch is put
     * back (in memory: some of what the journal holds before it may have been accepted
     * already, and must not be read and sent again), the first half goes now.
     */
    private void halveBatch() {
        List<Pending> second = batch.subList(batch.size() / 2, batch.size());
        for (int i = second.size() - 1; i >= 0; i--) {
            putBack.addFirst(second.get(i));
        }
        second.clear();
        closed = true;
        nextAttemptAt = Instant.MIN;
    }

    private void clearFailures() {
        failingSince = null;
        failuresInRow = 0;
        nextAttemptAt = Instant.MIN;
    }

    /** The batch is through (accepted or given up on): the cursor moves past it. */
    private void allDone() {
        cursor.passedTo(putBack.isEmpty() ? batchEnd : putBack.peekFirst().event.position());
        oldestWaiting = null;
        nextAttemptAt = Instant.MIN;
        cursor.save(false);
    }

    private void passed() {
        eventsBehind.decrementAndGet();
    }

    static Duration wait(int failuresInRow, Duration retryAfter) {
        long shift = Math.min(failuresInRow - 1, 20);
        Duration backoff = BACKOFF_FIRST.multipliedBy(1L << shift);
        if (backoff.compareTo(BACKOFF_MAX) > 0) {
            backoff = BACKOFF_MAX;
        }
        if (retryAfter != null && retryAfter.compareTo(backoff) > 0) {
            return retryAfter.compareTo(RETRY_AFTER_MAX) > 0 ? RETRY_AFTER_MAX : retryAfter;
        }
        return backoff;
    }

    private static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
