package clinicrelay.app;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One named daemon thread that runs a task now and then (a fixed delay between runs).
 * Closing it interrupts a run in progress and waits for it to end, at most {@code stopWait}.
 */
final class DaemonTimer implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final Duration stopWait;

    DaemonTimer(String threadName, Runnable task, Duration firstAfter, Duration every, Duration stopWait) {
        this.stopWait = stopWait;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(task, firstAfter.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(stopWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
