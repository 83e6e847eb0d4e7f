package clinicrelay.journal;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single writer thread, doing group commit: it takes every frame queued since its
 * last force, writes them with one positional write, forces the file once, and only then
 * completes their futures, which is what lets request threads answer 200.
 *
 * <p>Durability order, per batch: write → force → complete. If the write or the force
 * fails, the file is truncated back to the end of the last forced batch, so a failed
 * batch never leaves bytes that a later good batch would follow (that would look like
 * corruption on the next start), and every frame in the batch fails.
 */
final class JournalWriter implements Runnable {
    /** Frames waiting for the writer; when full, appends fail at once instead of queueing
     *  without bound (the request answers "unavailable" and the sender redelivers). */
    static final int APPEND_QUEUE_MAX = 8192;
    /** Most frames in one batch, so one batch's futures complete in bounded time. */
    static final int BATCH_FRAMES_MAX = 1024;
    /** Most bytes in one batch (and so in the write buffer), unless a single frame is larger. */
    static final int BATCH_BYTES_MAX = 8 * 1024 * 1024;
    /**
     * How long the idle writer sleeps before checking whether the journal was closed, should
     * the wake-up that {@link #beginClose} queues not fit (the queue was full, so the writer
     * was busy anyway).
     */
    private static final long IDLE_POLL_MILLIS = 200;

    /**
     * A frame and the future completed once it is on disk.
     *
     * @param queuedAt System.nanoTime() of the append, for the append-to-durable latency
     */
    /**
     * @param settled told of the outcome just before {@code durable} completes (so whoever
     *                waits for it finds the effect done), on the writer thread in journal order; or null
     */
    record PendingAppend(byte[] frame, CompletableFuture<Long> durable, long queuedAt, Settled settled) {
        void complete(long position) {
            if (settled != null) {
                settled.settled(position, null);
            }
            durable.complete(position);
        }

        void fail(Throwable failure) {
            if (settled != null) {
                settled.settled(JournalPosition.NONE, failure);
            }
            durable.completeExceptionally(failure);
        }
    }

    /** What an append's submitter runs once it is settled (see {@link Journal#append(byte[], Settled)}). */
    @FunctionalInterface
    interface Settled {
        void settled(long position, Throwable failure);
    }

    /** Queued by {@link #beginClose} so an idle writer notices at once; not a frame. */
    private static final PendingAppend WAKE_UP = new PendingAppend(new byte[0], new CompletableFuture<>(), 0, null);

    private final Path dir;
    private final long segmentBytesMax;
    private final WriteFaults faults;
    private final BatchListener batches;
    private final Log log;
    private final BlockingQueue<PendingAppend> queue = new ArrayBlockingQueue<>(APPEND_QUEUE_MAX);
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final List<PendingAppend> batch = new ArrayList<>(BATCH_FRAMES_MAX);
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

    private FileChannel channel;
    private long segmentSequence;
    /** End of the last forced batch in the current segment: everything before it is durable. */
    private long durableEnd;
    /** Where the batch being written starts: its frames' positions follow from here. */
    private long batchStart;
    /**
     * Everything before this position is on disk and every listener of it has been told
     * (its appends' futures completed): where a checkpoint may say it stands.
     */
    private volatile long settledPosition;
    /** Busy spins a reader of {@link #settledPosition} makes before it yields to the writer. */
    static final int SETTLED_SPINS_MAX = 64;
    /**
     * Odd while a batch's appends are being completed (their listeners told) and
     * {@link #settledPosition} not yet moved past them: a seqlock, so a reader never takes a
     * position that a completed append lies beyond.
     */
    private volatile long settling;
    /** Set when a failed batch could not be cut off; no batch is written until it is. */
    private boolean truncatePending;
    private volatile boolean closing;
    /** Set if the writer thread itself died (an Error): nothing can be written any more. */
    private volatile boolean stopped;
    private volatile String failureReason;

    JournalWriter(Path dir, long segmentSequence, long durableEnd, long segmentBytesMax, WriteFaults faults,
                  BatchListener batches, Log log)
            throws IOException {
        this.dir = dir;
        this.segmentSequence = segmentSequence;
        this.durableEnd = durableEnd;
        this.segmentBytesMax = segmentBytesMax;
        this.faults = faults;
        this.batches = batches;
        this.log = log;
        this.channel = FileChannel.open(Segments.path(dir, segmentSequence), Set.of(StandardOpenOption.WRITE));
        this.settledPosition = JournalPosition.of(segmentSequence, durableEnd);
    }

    long bytesWritten() {
        return bytesWritten.get();
    }

    /** See {@link Journal#settledPosition}; spins through a batch being completed (never call it on the writer thread). */
    long settledPosition() {
        for (int spins = 0; ; spins++) {
            long before = settling;
            if ((before & 1) == 0) {
                long position = settledPosition;
                if (settling == before) {
                    return position;
                }
            }
            if (spins < SETTLED_SPINS_MAX) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // on one core the writer cannot finish while we spin
            }
        }
    }

    /** Queues a frame; the future completes when it is durable, or fails. Never blocks. */
    CompletableFuture<Long> submit(byte[] frame, Settled settled) {
        PendingAppend append = new PendingAppend(frame, new CompletableFuture<>(), System.nanoTime(), settled);
        if (closing || stopped) {
            append.fail(new JournalUnavailableException(stopped ? "journal writer stopped" : "journal is closed", null));
        } else if (!queue.offer(append)) {
            append.fail(new JournalUnavailableException("journal append queue is full", null));
        }
        return append.durable();
    }

    @Override
    public void run() {
        try {
            while (!closing || !queue.isEmpty()) {
                PendingAppend first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE_UP) {
                    continue;
                }
                takeBatch(first);
                writeBatch();
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable fatal) {
            // An Error (a JVM fault, a bug) on the only writer: refuse every append from now
            // on, loudly, instead of leaving requests to time out one by one; then die of it,
            // so the process exits (app.Lifeline) and is restarted whole.
            stopped = true;
            failureReason = "journal writer stopped: " + fatal.getClass().getName();
            log.error("journal writer stopped; no event can be stored until restart",
                    Field.reason(fatal.getClass().getName()));
            failAll(batch, new JournalUnavailableException("journal writer stopped", fatal));
            batch.clear();
            failRemaining();
            throw fatal;
        } finally {
            failRemaining();
            closeChannel();
        }
    }

    /** The first frame and whatever follows it, within the frame and byte limits of a batch. */
    private void takeBatch(PendingAppend first) {
        batch.add(first);
        long bytes = first.frame().length;
        PendingAppend next;
        while (batch.size() < BATCH_FRAMES_MAX && (next = queue.peek()) != null && next != WAKE_UP
                && bytes + next.frame().length <= BATCH_BYTES_MAX) {
            batch.add(queue.poll());
            bytes += next.frame().length;
        }
    }

    private void writeBatch() {
        try {
            faults.beforeBatch();
            if (truncatePending) {
                channel.truncate(durableEnd);
                truncatePending = false;
            }
            if (durableEnd >= segmentBytesMax) {
                rollSegment();
            }
            fillBuffer();
            batchStart = durableEnd;
            long at = durableEnd;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            faults.beforeForce();
            channel.force(false);
            durableEnd = at;
        } catch (IOException | RuntimeException e) {
            failBatch(e);
            return;
        }
        if (failureReason != null) {
            log.info("journal writable again", Field.file(Segments.path(dir, segmentSequence)));
            failureReason = null;
        }
        recordsWritten.addAndGet(batch.size());
        bytesWritten.addAndGet(durableEnd - batchStart);
        long forcedAt = System.nanoTime();
        long[] waits = new long[batch.size()];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = forcedAt - batch.get(i).queuedAt();
        }
        batches.batchForced(waits.length, waits);
        batchesWritten.incrementAndGet();
        long position = batchStart;
        settling++;
        try {
            for (PendingAppend append : batch) {
                append.complete(JournalPosition.of(segmentSequence, position));
                position += append.frame().length;
            }
        } finally {
            settledPosition = JournalPosition.of(segmentSequence, durableEnd);
            settling++;
        }
    }

    private void fillBuffer() {
        int bytes = 0;
        for (PendingAppend append : batch) {
            bytes += append.frame().length;
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, Math.min(BATCH_BYTES_MAX, Integer.highestOneBit(bytes) << 1)));
        }
        buffer.clear();
        for (PendingAppend append : batch) {
            buffer.put(append.frame());
        }
        buffer.flip();
    }

    /** Closed segments are never written again; the new one is created whole (see Segments). */
    private void rollSegment() throws IOException {
        Path next = Segments.create(dir, segmentSequence + 1);
        FileChannel nextChannel = FileChannel.open(next, Set.of(StandardOpenOption.WRITE));
        closeChannel();
        channel = nextChannel;
        segmentSequence++;
        durableEnd = Segments.HEADER_BYTES;
    }

    private void failBatch(Exception cause) {
        String reason = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        if (failureReason == null) {
            // Once per failing spell, not per batch: the cause is an I/O error (errno text,
            // a path), never record content.
            log.error("journal write failed; events are refused until a write succeeds",
                    Field.file(Segments.path(dir, segmentSequence)), Field.reason(reason));
        }
        failureReason = reason;
        try {
            channel.truncate(durableEnd);
        } catch (IOException truncateFailed) {
            // Retried before the next batch: writing after leftover bytes of a failed batch
            // would make them look like corruption in the middle of the file.
            truncatePending = true;
        }
        failAll(batch, new JournalUnavailableException("journal write failed", cause));
    }

    private void failRemaining() {
        List<PendingAppend> left = new ArrayList<>();
        queue.drainTo(left);
        left.remove(WAKE_UP);
        failAll(left, new JournalUnavailableException(stopped ? "journal writer stopped" : "journal is closed", null));
    }

    private static void failAll(List<PendingAppend> appends, JournalUnavailableException failure) {
        for (PendingAppend append : appends) {
            append.fail(failure);
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Every completed batch was already forced; nothing is lost by a failed close.
        }
    }

    void beginClose() {
        closing = true;
        queue.offer(WAKE_UP);
    }

    JournalHealth health() {
        String reason = failureReason;
        return new JournalHealth(reason == null && !stopped, reason, recordsWritten.get(), batchesWritten.get());
    }
}
