package clinicrelay.testing;

import clinicrelay.log.Log;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** A Log whose lines tests can read. */
public final class CapturedLog {
    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    private final Log log;

    public CapturedLog(Clock clock) {
        this.log = new Log(lines, clock);
    }

    public Log log() {
        return log;
    }

    public String text() {
        synchronized (log) {
            return lines.toString(StandardCharsets.UTF_8);
        }
    }
}
