package clinicrelay.delivery;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.ingest.EventIngest;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.Lane;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything that reaches the engine's thread from other threads: events the ingest
 * stored, results from the lane workers, and commands (opt-outs, statuses, operator
 * requests, queries). It exists before the engine, so the ingest can be built with it as
 * its listener and the engine last, with no setter and no cycle.
 */
public final class EngineInbox implements EventIngest.Listener {
    /** Commands waiting for the engine thread; when full, callers wait (backpressure). */
    static final int COMMANDS_MAX = 10_000;

    /** An event on disk at {@code position}, with the change it made once the engine folded it in (null before). */
    record StoredEvent(String eventKey, AppointmentEvent event, Instant receivedAt, long position,
                       Appointments.Change change) {
        StoredEvent withChange(Appointments.Change folded) {
            return new StoredEvent(eventKey, event, receivedAt, position, folded);
        }
    }

    /** A settled attempt waiting for the engine thread to record it. */
    record Settled(String deliveryId, Lane lane, String recipient, AttemptResult result, long latencyNanos) {
    }

    private static final Runnable WAKE_UP = () -> { };

    private final BlockingQueue<Runnable> commands = new ArrayBlockingQueue<>(COMMANDS_MAX);
    /**
     * Filled from the journal's writer thread, which must never block, so this is the one
     * queue without a fixed bound: it holds what the receiver stored while the engine was
     * busy, and each entry is already on disk (a restart would plan it anyway).
     */
    private final Queue<StoredEvent> storedEvents = new ConcurrentLinkedQueue<>();
    /** At most one per attempt in flight, so bounded by the lanes' slots. */
    private final Queue<Settled> settled = new ConcurrentLinkedQueue<>();
    /** Events on disk and not yet planned, wherever they wait (here, or the engine's backlog). */
    private final AtomicInteger unplanned = new AtomicInteger();

    /** An event is on disk (called on the journal's writer thread, in journal order). Never blocks. */
    @Override
    public void stored(AppointmentEvent event, Instant receivedAt, String journalKey, long position) {
        unplanned.incrementAndGet();
        storedEvents.add(new StoredEvent(journalKey, event, receivedAt, position, null));
        wake();
    }

    /** An attempt ended on a lane worker. Never blocks. */
    void settled(Settled attempt) {
        settled.add(attempt);
        wake();
    }

    /** Runs {@code command} on the engine thread; waits while the inbox is full. */
    void submit(Runnable command) {
        try {
            commands.put(command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes the engine take a turn now. */
    void wake() {
        commands.offer(WAKE_UP);
    }

    /** The next command, waiting at most {@code waitNanos}; null when none came. */
    Runnable next(long waitNanos) throws InterruptedException {
        return commands.poll(waitNanos, TimeUnit.NANOSECONDS);
    }

    /** The next command if one is waiting, else null. */
    Runnable nextNow() {
        return commands.poll();
    }

    /** Whether stored events or settled attempts wait (the engine then must not sleep). */
    boolean hasArrivals() {
        return !storedEvents.isEmpty() || !settled.isEmpty();
    }

    /**
     * Events stored and not yet planned: what a flood leaves the engine to catch up with,
     * each holding its patient data in memory until planned (the capacity guard watches it).
     */
    public int unplanned() {
        return unplanned.get();
    }

    /** Events that wait to be planned without having come through here (replay's unplanned ones). */
    void waitingFromReplay(int count) {
        unplanned.addAndGet(count);
    }

    /** The engine planned {@code count} events. */
    void planned(int count) {
        unplanned.addAndGet(-count);
    }

    /** Positions of the stored events waiting here that lie before {@code position}, in journal order. */
    long[] storedBefore(long position) {
        return storedEvents.stream().mapToLong(StoredEvent::position).filter(p -> p < position).toArray();
    }

    List<StoredEvent> takeStoredEvents() {
        return drain(storedEvents);
    }

    List<Settled> takeSettled() {
        return drain(settled);
    }

    private static <T> List<T> drain(Queue<T> queue) {
        List<T> items = new ArrayList<>();
        T item;
        while ((item = queue.poll()) != null) {
            items.add(item);
        }
        return items;
    }
}
