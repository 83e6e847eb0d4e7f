package clinicrelay.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server's executor: a bounded pool with no queue, so work is never parked
 * without limit. When every worker is busy, the exchange goes to a small shedding pool
 * whose threads are marked, and {@link ShedFilter} answers on them at once without doing
 * the work. If even that is full, the JDK server closes the connection (last resort).
 */
final class WorkerPool implements Executor {
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor shedders;
    private final LongAdder shed = new LongAdder();

    /** A thread of the shedding pool; {@link ShedFilter} recognises it. */
    static final class SheddingThread extends Thread {
        SheddingThread(Runnable task, String name) {
            super(null, task, name, HttpLimits.WORKER_STACK_BYTES);
            setDaemon(true);
        }
    }

    WorkerPool() {
        AtomicInteger workerNumber = new AtomicInteger();
        workers = new ThreadPoolExecutor(HttpLimits.WORKER_THREADS_CORE, HttpLimits.WORKER_THREADS_MAX,
                HttpLimits.WORKER_IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                    Thread t = new Thread(null, task, "http-worker-" + workerNumber.incrementAndGet(),
                            HttpLimits.WORKER_STACK_BYTES);
                    t.setDaemon(true);
                    return t;
                });
        AtomicInteger shedNumber = new AtomicInteger();
        shedders = new ThreadPoolExecutor(HttpLimits.SHED_THREADS, HttpLimits.SHED_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(HttpLimits.SHED_QUEUE_MAX),
                task -> new SheddingThread(task, "http-shed-" + shedNumber.incrementAndGet()));
    }

    @Override
    public void execute(Runnable exchange) {
        try {
            workers.execute(exchange);
        } catch (RejectedExecutionException saturated) {
            shed.increment();
            shedders.execute(exchange);
        }
    }

    long shedCount() {
        return shed.sum();
    }

    int busyWorkers() {
        return workers.getActiveCount();
    }

    void shutdown() {
        workers.shutdownNow();
        shedders.shutdownNow();
    }
}
