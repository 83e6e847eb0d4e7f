package clinicrelay.log;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the log lines that unauthenticated traffic can cause: per kind (an outcome such as
 * {@code invalid_signature}), at most {@link #LINES_PER_SECOND_MAX} a second. Past that,
 * lines are counted instead of written, and the next line of that kind says how many were
 * left out. A flood of forged requests therefore costs a few lines a second, not a disk
 * full of journald, while a single mistake is still logged in full.
 */
final class Throttle {
    /** Lines per kind per second before counting starts. */
    static final int LINES_PER_SECOND_MAX = 20;

    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** One kind's current second. */
    private static final class Window {
        long second;
        int written;
        long suppressed;
    }

    Throttle(Clock clock) {
        this.clock = clock;
    }

    /**
     * @return -1 to leave this line out, else the number of lines of this kind left out
     *         before it (0 when none), to be reported with it
     */
    long admit(String kind) {
        long second = clock.millis() / 1000;
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        synchronized (window) {
            if (window.second != second) {
                window.second = second;
                window.written = 0;
            }
            if (window.written >= LINES_PER_SECOND_MAX) {
                window.suppressed++;
                return -1;
            }
            window.written++;
            long suppressed = window.suppressed;
            window.suppressed = 0;
            return suppressed;
        }
    }
}
