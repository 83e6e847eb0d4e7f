package clinicrelay.testing;

import clinicrelay.journal.WriteFaults;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The journal's write seam, driven by a test: fail every batch before its write (a full
 * disk) or after it (a failing fsync), hold a batch between its write and its force, and
 * count the forces.
 */
public final class DiskFaults implements WriteFaults {
    private volatile String failure;
    private volatile String forceFailure;
    private volatile CountDownLatch forceGate;
    private final AtomicInteger forces = new AtomicInteger();
    private final CountDownLatch reachedForce = new CountDownLatch(1);

    /** Fails every batch from now on, before anything is written, with this message. */
    public void fail(String message) {
        failure = message;
    }

    /** Fails every batch from now on after its bytes are written, as a failing fsync does. */
    public void failForce(String message) {
        forceFailure = message;
    }

    public void heal() {
        failure = null;
        forceFailure = null;
    }

    /** Makes the next batches wait between their write and their force until {@link #releaseForce}. */
    public void holdForce() {
        forceGate = new CountDownLatch(1);
    }

    public void releaseForce() {
        CountDownLatch gate = forceGate;
        forceGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Waits until a batch is written and about to be forced. */
    public boolean awaitForce(long seconds) throws InterruptedException {
        return reachedForce.await(seconds, TimeUnit.SECONDS);
    }

    /** Batches that reached their force so far. */
    public int forces() {
        return forces.get();
    }

    @Override
    public void beforeBatch() throws IOException {
        String message = failure;
        if (message != null) {
            throw new IOException(message);
        }
    }

    @Override
    public void beforeForce() throws IOException {
        forces.incrementAndGet();
        reachedForce.countDown();
        CountDownLatch gate = forceGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String message = forceFailure;
        if (message != null) {
            throw new IOException(message);
        }
    }
}
