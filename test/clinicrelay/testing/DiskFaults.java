package clinicrelay.testing;

import clinicrelay.journal.WriteFaults;
import java.io.IOException;

/** The journal's write seam, switched on and off by a test: while failing, every batch fails with the given error. */
public final class DiskFaults implements WriteFaults {
    private volatile String failure;

    /** Fails every batch from now on with an IOException carrying this message. */
    public void fail(String message) {
        failure = message;
    }

    public void heal() {
        failure = null;
    }

    @Override
    public void beforeBatch() throws IOException {
        String message = failure;
        if (message != null) {
            throw new IOException(message);
        }
    }
}
