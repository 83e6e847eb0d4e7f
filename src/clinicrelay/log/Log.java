package clinicrelay.log;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The one logger: a line per call, {@code <UTC timestamp> <LEVEL> <message> key=value...},
 * written to stdout with one write per line so journald gets whole lines even from many
 * threads, and nothing is lost in a buffer when the process is killed.
 *
 * <p>Messages are fixed text written by us; variable content goes through {@link Field},
 * which only admits the fields we allow. See README "What we log".
 */
public final class Log {
    private enum Level { INFO, WARN, ERROR }

    private final OutputStream sink;
    private final Clock clock;
    private final Throttle throttle;

    public Log(OutputStream sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.throttle = new Throttle(clock);
    }

    /** A logger on the process's stdout (not System.out, so nothing can swap or buffer it). */
    public static Log toStdout(Clock clock) {
        return new Log(new FileOutputStream(FileDescriptor.out), clock);
    }

    public void info(String message, Field... fields) {
        write(Level.INFO, message, fields);
    }

    public void warn(String message, Field... fields) {
        write(Level.WARN, message, fields);
    }

    /**
     * A warning that anyone on the network can cause (a forged signature, a busy server):
     * at most a few lines a second per {@code kind}; a line after a quiet spell carries
     * {@code suppressed_before=N}.
     */
    public void warnThrottled(String kind, String message, Field... fields) {
        throttled(Level.WARN, kind, message, fields);
    }

    /** Like {@link #warnThrottled}, at INFO: routine lines a client can multiply (a duplicate delivery). */
    public void infoThrottled(String kind, String message, Field... fields) {
        throttled(Level.INFO, kind, message, fields);
    }

    private void throttled(Level level, String kind, String message, Field... fields) {
        long suppressed = throttle.admit(kind);
        if (suppressed == 0) {
            write(level, message, fields);
        } else if (suppressed > 0) {
            Field[] withCount = java.util.Arrays.copyOf(fields, fields.length + 1);
            withCount[fields.length] = Field.count("suppressed_before", suppressed);
            write(level, message, withCount);
        }
    }

    public void error(String message, Field... fields) {
        write(Level.ERROR, message, fields);
    }

    private void write(Level level, String message, Field[] fields) {
        StringBuilder line = new StringBuilder(160);
        IsoUtcFormat.appendIsoUtc(clock.millis(), line);
        line.append(' ').append(level.name()).append(' ').append(message);
        for (Field field : fields) {
            line.append(' ').append(field.name()).append('=').append(field.value());
        }
        line.append('\n');
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                sink.write(bytes);
            } catch (IOException stdoutGone) {
                // Nowhere left to report it; the service itself must keep running.
            }
        }
    }
}
