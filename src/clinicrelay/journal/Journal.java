package clinicrelay.journal;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The append-only journal in {@code DATA_DIR/journal/}: every fact clinic-relay acts on
 * is a record here first, and all in-memory state is rebuilt from it at start-up.
 *
 * <p>{@link #open} replays every segment in order through a visitor, truncates a torn
 * tail of the newest segment (with a warning naming file and offset), refuses to start on
 * corruption anywhere else, then starts the single writer ({@link JournalWriter}).
 * Format: {@link RecordCodec}, {@link Segments}, docs/journal.md.
 */
public final class Journal implements AutoCloseable {
    /** Segment size at which the writer starts a new file. Small enough that a segment is
     *  quick to copy, check or move aside by hand; large enough that a busy clinic makes
     *  only a few a month. */
    public static final long SEGMENT_BYTES_MAX = 64L * 1024 * 1024;
    static final String DIRECTORY_NAME = "journal";
    /** Where bytes cut off a torn tail are kept, so nothing is ever silently discarded. */
    public static final String QUARANTINE_DIRECTORY = "quarantine";

    /** Receives every good record during replay, oldest first. */
    public interface ReplayVisitor {
        void visit(StoredRecord record) throws JournalCorruptException;
    }

    /** Settings with production defaults; tests shrink segments and inject write faults. */
    public record Options(long segmentBytesMax, WriteFaults faults, BatchListener batches) {
        public Options(long segmentBytesMax, WriteFaults faults) {
            this(segmentBytesMax, faults, BatchListener.NONE);
        }

        public static Options defaults() {
            return new Options(SEGMENT_BYTES_MAX, WriteFaults.NONE);
        }

        /** The same options, with {@code listener} told of every forced batch. */
        public Options withBatchListener(BatchListener listener) {
            return new Options(segmentBytesMax, faults, listener);
        }
    }

    private final Path dir;
    private final JournalWriter writer;
    private final long quarantinedBytes;
    private final Thread writerThread;
    private final JournalReader.Report replayReport;

    private Journal(Path dir, JournalWriter writer, JournalReader.Report replayReport, long quarantinedBytes) {
        this.dir = dir;
        this.writer = writer;
        this.replayReport = replayReport;
        this.quarantinedBytes = quarantinedBytes;
        this.writerThread = new Thread(writer, "journal-writer");
        this.writerThread.setDaemon(false);
        this.writerThread.start();
    }

    public static Path directoryIn(Path dataDir) {
        return dataDir.resolve(DIRECTORY_NAME);
    }

    /**
     * Replays and opens the journal for appending.
     *
     * @throws JournalCorruptException on a bad record that is not a torn tail, naming file and offset
     */
    public static Journal open(Path dataDir, Options options, ReplayVisitor visitor, Log log)
            throws IOException, JournalCorruptException {
        return open(dataDir, options, visitor, log, JournalPosition.NONE);
    }

    /**
     * Like {@link #open(Path, Options, ReplayVisitor, Log)}, replaying only the records from
     * {@code replayFrom} on (a checkpoint's position; {@link JournalPosition#NONE}: all).
     *
     * @throws JournalCorruptException also when {@code replayFrom} is not in the journal (the
     *                                 caller then replays it all)
     */
    public static Journal open(Path dataDir, Options options, ReplayVisitor visitor, Log log, long replayFrom)
            throws IOException, JournalCorruptException {
        Path dir = PrivateFiles.directory(directoryIn(dataDir));
        JournalReader.Report report = JournalReader.read(dir, visitor, replayFrom);
        long sequence;
        long durableEnd;
        long quarantined = 0;
        if (report.newestSegment() == null) {
            sequence = Segments.FIRST_SEQUENCE;
            durableEnd = Segments.HEADER_BYTES;
            Segments.create(dir, sequence);
        } else {
            sequence = Segments.sequenceOf(report.newestSegment());
            durableEnd = report.endOfGoodData();
            if (report.tornAt() >= 0) {
                quarantined = quarantineAndTruncate(dir, report, log);
            }
        }
        JournalWriter writer = new JournalWriter(dir, sequence, durableEnd, options.segmentBytesMax(), options.faults(),
                options.batches(), log);
        return new Journal(dir, writer, report, quarantined);
    }

    /**
     * Copies the torn tail to {@code quarantine/<segment>.<offset>.tail} (0600, forced), then
     * cuts it off the segment. Nothing in it was acknowledged (an answer waits for its
     * batch's force), but it is kept for whoever wants to look at what the disk held.
     *
     * @return how many bytes were quarantined
     */
    private static long quarantineAndTruncate(Path dir, JournalReader.Report report, Log log) throws IOException {
        Path segment = report.newestSegment();
        long length = Files.size(segment) - report.tornAt();
        byte[] tail = new byte[(int) length];
        try (FileChannel channel = FileChannel.open(segment, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
            ByteBuffer buffer = ByteBuffer.wrap(tail);
            while (buffer.hasRemaining() && channel.read(buffer, report.tornAt() + buffer.position()) > 0) {
                // read the whole tail (at most one batch)
            }
            Path quarantine = PrivateFiles.directory(dir.resolve(QUARANTINE_DIRECTORY));
            Path copy = quarantine.resolve(segment.getFileName() + "." + report.tornAt() + ".tail");
            PrivateFiles.writeAtomically(copy, tail);
            log.error("journal tail quarantined and truncated: bytes at the end of the newest segment that no valid"
                    + " record follows (never acknowledged)", Field.file(segment), Field.offset(report.tornAt()),
                    Field.count("bytes", length), Field.reason(report.tornReason()));
            channel.truncate(report.tornAt());
            channel.force(true);
        }
        return length;
    }

    /**
     * Queues an encoded frame (see {@link RecordCodec#encodeFrame}) for the next batch.
     * The future completes only once the frame is forced to disk, and fails with
     * {@link JournalUnavailableException} otherwise. Never blocks.
     */
    public CompletableFuture<Long> append(byte[] frame) {
        return writer.submit(frame, null);
    }

    /**
     * Like {@link #append(byte[])}, and runs {@code settled} on the writer thread just
     * before the future completes, in journal order, before {@link #settledPosition} moves
     * past the record (or at once on this thread when the append is refused outright).
     * Must be quick and never block.
     */
    public CompletableFuture<Long> append(byte[] frame, JournalWriter.Settled settled) {
        return writer.submit(frame, settled);
    }

    /**
     * True when journal retention deleted the oldest segments: replaying what is left
     * would rebuild only part of the state, so start-up needs a checkpoint.
     */
    public static boolean isCutByRetention(Path dataDir) throws IOException {
        Path dir = directoryIn(dataDir);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        List<Path> segments = Segments.list(dir);
        return !segments.isEmpty() && Segments.sequenceOf(segments.get(0)) > Segments.FIRST_SEQUENCE;
    }

    /** Reads the record at {@code position} of the journal in {@code dataDir} before it is opened (a checkpoint's pending events). */
    public static StoredRecord readAt(Path dataDir, long position) throws IOException, JournalCorruptException {
        return SegmentScanner.readAt(Segments.path(directoryIn(dataDir), JournalPosition.segmentSequence(position)),
                JournalPosition.offset(position));
    }

    /**
     * Reads back the record at {@code position} (as an append or a replay gave it out),
     * checking its checksum: how the engine gets patient data it does not keep in memory.
     *
     * @throws IOException             when its segment is gone (deleted by retention) or unreadable
     * @throws JournalCorruptException when the bytes there are not that record
     */
    public StoredRecord read(long position) throws IOException, JournalCorruptException {
        return SegmentScanner.readAt(Segments.path(dir, JournalPosition.segmentSequence(position)),
                JournalPosition.offset(position));
    }

    public JournalHealth health() {
        return writer.health();
    }

    /**
     * Where everything before is on disk and every listener of it has been told: the
     * position a checkpoint taken now may claim to cover.
     */
    public long settledPosition() {
        return writer.settledPosition();
    }

    /** Bytes written since it was opened (what a checkpoint saves replaying grows with this). */
    public long bytesWritten() {
        return writer.bytesWritten();
    }

    /** Bytes of a torn tail that start-up quarantined and cut off (0 when the journal ended cleanly). */
    public long quarantinedBytes() {
        return quarantinedBytes;
    }

    /** What start-up replay found (counts for the start-up line). */
    public JournalReader.Report replayReport() {
        return replayReport;
    }

    /**
     * Deletes whole segments, oldest first, while they are numbered before
     * {@code beforeSequence} and were last written before {@code writtenBefore}; never the
     * segment being written. Stops at the first segment kept, so what remains is one run.
     *
     * @return the files deleted, oldest first
     */
    public List<Path> deleteOldSegments(long beforeSequence, Instant writtenBefore) throws IOException {
        long live = JournalPosition.segmentSequence(settledPosition());
        List<Path> deleted = new ArrayList<>();
        for (Path segment : Segments.list(dir)) {
            long sequence = Segments.sequenceOf(segment);
            if (sequence >= beforeSequence || sequence >= live
                    || !Files.getLastModifiedTime(segment).toInstant().isBefore(writtenBefore)) {
                break;
            }
            Files.delete(segment);
            deleted.add(segment);
        }
        if (!deleted.isEmpty()) {
            PrivateFiles.forceDirectory(dir);
        }
        return deleted;
    }

    /** Writes what is queued, then stops the writer. Appends after this fail. */
    @Override
    public void close() {
        writer.beginClose();
        boolean interrupted = false;
        while (writerThread.isAlive()) {
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
