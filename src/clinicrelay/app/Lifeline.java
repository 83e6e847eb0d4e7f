package clinicrelay.app;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.util.function.IntConsumer;

/**
 * The process's last resort: a thread that dies of an uncaught {@code Throwable} (the
 * journal writer, the delivery engine, the JDK's HTTP dispatcher, a worker) takes the
 * process with it, with exit status {@link #EXIT_THREAD_DIED}, so that systemd restarts a
 * whole relay instead of leaving one that answers "not stored" forever. Out of memory
 * never gets this far: the JVM runs with {@code -XX:+ExitOnOutOfMemoryError}.
 */
public final class Lifeline {
    /** {@code EX_SOFTWARE} from sysexits.h: an internal error. */
    public static final int EXIT_THREAD_DIED = 70;

    private Lifeline() {
    }

    /**
     * Installs the default handler for uncaught exceptions: one log line naming the thread
     * and the exception's class (never its message, which could quote data), then
     * {@code exit} with {@link #EXIT_THREAD_DIED} on a thread of its own, so the dying
     * thread is not the one that waits for the shutdown hooks.
     */
    public static void install(Log log, IntConsumer exit) {
        Thread.setDefaultUncaughtExceptionHandler((thread, death) -> {
            log.error("an essential thread died; exiting so the service manager restarts the relay",
                    Field.reason(thread.getName() + ": " + death.getClass().getName()));
            Thread exiter = new Thread(() -> exit.accept(EXIT_THREAD_DIED), "lifeline-exit");
            exiter.setDaemon(false);
            exiter.start();
        });
    }
}
