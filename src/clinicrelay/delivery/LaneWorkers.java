package clinicrelay.delivery;

import clinicrelay.planning.Lane;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that call providers, a small pool per lane, and each lane's slots: the one
 * count of attempts decided and not yet recorded as settled. A slot is taken when the
 * engine decides on an attempt and given back when its result is on disk, so a lane never
 * has more than {@link #SLOTS_PER_LANE} calls in flight and one slow provider or number
 * never holds up the others. Slots are counted on the engine thread; the total is readable
 * from any thread.
 */
final class LaneWorkers implements AutoCloseable {
    /** Worker threads per lane: enough to keep a provider busy, few enough for a small VM. */
    static final int WORKERS_PER_LANE = 4;
    /**
     * The CRM lane's: one, so its calls run one at a time in the order they were started. Two
     * steps of one appointment (booked, then cancelled a moment later) must not race: the
     * second would look for a Contact and a Task the first is still making, and make its own.
     */
    static final int CRM_WORKERS = 1;
    /** Attempts per lane decided and not settled; further due deliveries wait in their due queue. */
    static final int SLOTS_PER_LANE = WORKERS_PER_LANE * 2;
    /** Calls queued per lane beyond the workers: never more than the slots allow. */
    private static final int QUEUE_PER_LANE = SLOTS_PER_LANE;
    /**
     * Longest {@link #close} waits for interrupted calls to return, so none outlives the
     * engine (a provider call is interruptible; an unsettled one is reconciled at the next start).
     */
    private static final long STOP_WAIT_MILLIS = 5000;

    /** A call to a provider whose result goes back to the engine thread. */
    interface Call {
        AttemptResult call() throws InterruptedException;
    }

    private final Map<Lane, ExecutorService> pools = new EnumMap<>(Lane.class);
    private final Map<Lane, Integer> slotsTaken = new EnumMap<>(Lane.class);
    private final AtomicInteger slotsTakenTotal = new AtomicInteger();
    private final EngineInbox inbox;

    LaneWorkers(EngineInbox inbox) {
        this.inbox = inbox;
        for (Lane lane : Lane.values()) {
            AtomicInteger number = new AtomicInteger();
            int workers = lane == Lane.CRM ? CRM_WORKERS : WORKERS_PER_LANE;
            pools.put(lane, new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(QUEUE_PER_LANE), task -> {
                        Thread thread = new Thread(task, "send-" + lane.name().toLowerCase(Locale.ROOT) + "-"
                                + number.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    }));
            slotsTaken.put(lane, 0);
        }
    }

    boolean hasFreeSlot(Lane lane) {
        return slotsTaken.get(lane) < SLOTS_PER_LANE;
    }

    /** Takes a slot of {@code lane} (engine thread). */
    void takeSlot(Lane lane) {
        slotsTaken.merge(lane, 1, Integer::sum);
        slotsTakenTotal.incrementAndGet();
    }

    /** Gives a slot of {@code lane} back (engine thread). */
    void releaseSlot(Lane lane) {
        slotsTaken.merge(lane, -1, Integer::sum);
        slotsTakenTotal.decrementAndGet();
    }

    /** Attempts decided and not yet settled, all lanes (any thread; tests wait for 0). */
    int slotsTaken() {
        return slotsTakenTotal.get();
    }

    /**
     * Runs the call on the lane's workers; its result reaches the engine through the inbox.
     * The caller holds a slot for it.
     *
     * @param recipient the message's recipient (kept so a provider's opt-out can be recorded), or null
     */
    void run(String deliveryId, Lane lane, String recipient, Call call) {
        try {
            pools.get(lane).execute(() -> {
                long started = System.nanoTime();
                AttemptResult result;
                try {
                    result = call.call();
                } catch (InterruptedException stopping) {
                    return;
                } catch (RuntimeException unexpected) {
                    // Nobody knows how far it got: look before sending again, as after a broken connection.
                    result = new AttemptResult.Uncertain(unexpected.getClass().getSimpleName(), null);
                }
                inbox.settled(new EngineInbox.Settled(deliveryId, lane, recipient, result, System.nanoTime() - started));
            });
        } catch (RejectedExecutionException stopped) {
            // Only after close: the attempt stays unsettled on disk and is reconciled at the next start.
        }
    }

    @Override
    public void close() {
        for (ExecutorService pool : pools.values()) {
            pool.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        try {
            for (ExecutorService pool : pools.values()) {
                pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }
}
