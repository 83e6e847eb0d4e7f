package clinicrelay.app;

import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalPosition;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Takes a checkpoint when the journal has grown by {@link #JOURNAL_BYTES_BETWEEN} or has
 * changed at all for {@link #INTERVAL}, and once more on a clean stop: start-up then
 * replays at most that much. The image is written on the engine's thread (the state holds
 * still meanwhile; webhooks are still stored), streamed to disk, never copied in memory.
 */
final class Checkpointer implements AutoCloseable {
    /** Longest the journal changes without a checkpoint. */
    static final Duration INTERVAL = Duration.ofMinutes(10);
    /** Journal growth that brings the next checkpoint forward: what start-up replays at most. */
    static final long JOURNAL_BYTES_BETWEEN = 64L * 1024 * 1024;
    /** How often the two conditions are looked at. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(30);
    /** Longest one checkpoint may take (the engine writes it between two turns). */
    static final long WRITE_WAIT_MILLIS = 120_000;

    private final Path dataDir;
    private final Journal journal;
    private final DeliveryEngine engine;
    private final ReplayedState state;
    private final Supplier<Instant> sweepMark;
    private final Log log;
    private DaemonTimer timer;
    /** Where the last checkpoint stands, the journal's size then, and when (written on the engine thread). */
    private volatile long lastPosition;
    private volatile long lastBytes;
    private volatile long lastNanos = System.nanoTime();

    /** @param sweepMark the Zocdoc sweep's current mark (null without one) */
    Checkpointer(Path dataDir, Journal journal, DeliveryEngine engine, ReplayedState state, Supplier<Instant> sweepMark,
                 long startedFrom, Log log) {
        this.dataDir = dataDir;
        this.journal = journal;
        this.engine = engine;
        this.state = state;
        this.sweepMark = sweepMark;
        this.lastPosition = startedFrom;
        this.log = log;
    }

    void start() {
        timer = new DaemonTimer("checkpoint", this::whenDue, CHECK_EVERY, CHECK_EVERY, Duration.ofMillis(WRITE_WAIT_MILLIS));
    }

    private void whenDue() {
        boolean grown = journal.bytesWritten() - lastBytes >= JOURNAL_BYTES_BETWEEN;
        boolean aged = System.nanoTime() - lastNanos >= INTERVAL.toNanos();
        if (grown || aged) {
            takeNow();
        }
    }

    /**
     * Takes a checkpoint now unless nothing changed since the last one.
     *
     * @return the position it covers, or {@link JournalPosition#NONE} when none was written
     */
    long takeNow() {
        if (journal.settledPosition() == lastPosition) {
            lastNanos = System.nanoTime();
            return JournalPosition.NONE;
        }
        try {
            long position = request().get(WRITE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (position == JournalPosition.NONE) {
                log.warnThrottled("checkpoint_postponed", "checkpoint postponed: the engine's state is not at rest (a refused"
                        + " plan waits, or a write it gave up on may still reach the disk, which lasts until a restart)");
            }
            return position;
        } catch (ExecutionException | TimeoutException failed) {
            Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
            log.error("checkpoint not written; start-up replays more until one is", Field.reason(cause.getClass().getSimpleName()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return JournalPosition.NONE;
    }

    /**
     * Queues a checkpoint on the engine's thread behind what is queued there already; the
     * future completes with the position it covers ({@link JournalPosition#NONE}: none now).
     */
    CompletableFuture<Long> request() {
        long bytes = journal.bytesWritten();
        long started = System.nanoTime();
        return engine.checkpoint((position, pending) -> {
            Path file = Checkpoints.write(dataDir, position, pending, state, sweepMark.get());
            written(position, bytes);
            log.info("checkpoint written", Field.file(file), Field.count("pending_events", pending.length),
                    Field.count("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        });
    }

    /** On the engine thread: checkpoints are written one at a time there. */
    private void written(long position, long bytes) {
        lastPosition = position;
        lastBytes = bytes;
        lastNanos = System.nanoTime();
    }

    /** Stops the timer (a checkpoint being written finishes first). */
    @Override
    public void close() {
        if (timer != null) {
            timer.close();
        }
    }
}
