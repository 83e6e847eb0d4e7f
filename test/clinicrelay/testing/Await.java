package clinicrelay.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The one way tests wait for what another thread or process does: look at a condition
 * again and again (1 ms apart, backing off to 20 ms) until it holds or a deadline passes,
 * then fail naming what never happened. An {@link AssertionError} thrown by the condition
 * counts as "not yet". For the delivery engine itself, tests move its clock and call
 * {@code awaitSettled} instead.
 */
public final class Await {
    /** Long enough for a loaded CI machine, short enough that a hang fails fast. */
    public static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final long PAUSE_MILLIS_MAX = 20;

    /** A condition that may throw while it does not hold yet. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /** Waits until {@code condition} holds, at most {@link #DEADLINE}. */
    public static void until(String what, Condition condition) throws Exception {
        until(what, DEADLINE, condition);
    }

    public static void until(String what, Duration deadline, Condition condition) throws Exception {
        until(what, deadline, () -> condition.holds(), holds -> holds);
    }

    /** Looks at {@code probe} until its value is {@code done}, and returns that value. */
    public static <T> T until(String what, Callable<T> probe, Predicate<T> done) throws Exception {
        return until(what, DEADLINE, probe, done);
    }

    public static <T> T until(String what, Duration deadline, Callable<T> probe, Predicate<T> done) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        long pauseMillis = 1;
        while (true) {
            AssertionError notYet = null;
            try {
                T value = probe.call();
                if (done.test(value)) {
                    return value;
                }
            } catch (AssertionError failed) {
                notYet = failed;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("waited " + deadline.toSeconds() + " s for " + what, notYet);
            }
            Thread.sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, PAUSE_MILLIS_MAX);
        }
    }
}
