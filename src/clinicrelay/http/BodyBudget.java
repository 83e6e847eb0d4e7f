package clinicrelay.http;

import java.util.concurrent.Semaphore;

/**
 * Bounds the memory that request bodies hold across all requests at once. Each request
 * reserves room as its body's bytes arrive (never what it merely declares: a client that
 * declares 256 KiB and sends one byte holds one byte) and keeps the reservation until it
 * has answered, which also covers the parsed form of the body.
 * Without this, 256 workers each reading a 256 KiB body would hold 64 MiB before a single
 * signature was checked: enough for an unauthenticated client to exhaust a small heap.
 */
public final class BodyBudget {
    /** Body bytes held at once by all requests. Real webhooks are under 2 KiB, so this
     *  admits thousands of them, but only 32 bodies of the maximum size. */
    public static final int BYTES_IN_FLIGHT_MAX = 8 * 1024 * 1024;
    private static final int PERMIT_BYTES = 1024;

    private final Semaphore permits = new Semaphore(BYTES_IN_FLIGHT_MAX / PERMIT_BYTES);

    /** A reservation, released by close(). */
    public final class Reservation implements AutoCloseable {
        private int count;

        private Reservation(int count) {
            this.count = count;
        }

        /** Room for {@code bytes} in all: false, holding what it held, when there is none. */
        public boolean growTo(long bytes) {
            int needed = permitsFor(bytes) - count;
            if (needed <= 0) {
                return true;
            }
            if (!permits.tryAcquire(needed)) {
                return false;
            }
            count += needed;
            return true;
        }

        @Override
        public void close() {
            permits.release(count);
            count = 0;
        }
    }

    private static int permitsFor(long bytes) {
        return (int) Math.max(1, (bytes + PERMIT_BYTES - 1) / PERMIT_BYTES);
    }

    /** Reserves room for a body of this many bytes, or returns null at once when there is none. */
    public Reservation tryReserve(long bytes) {
        int count = permitsFor(bytes);
        return permits.tryAcquire(count) ? new Reservation(count) : null;
    }

    /** Bytes currently free, for tests and metrics. */
    public long bytesAvailable() {
        return (long) permits.availablePermits() * PERMIT_BYTES;
    }
}
