package clinicrelay.journal;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    private final JournalWriter writer;
    private final Thread writerThread;
    private final JournalReader.Report replayReport;

    private Journal(JournalWriter writer, JournalReader.Report replayReport) {
        this.writer = writer;
        this.replayReport = replayReport;
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
        Path dir = PrivateFiles.directory(directoryIn(dataDir));
        JournalReader.Report report = JournalReader.read(dir, visitor);
        long sequence;
        long durableEnd;
        if (report.newestSegment() == null) {
            sequence = 1;
            durableEnd = Segments.HEADER_BYTES;
            Segments.create(dir, sequence);
        } else {
            sequence = Segments.sequenceOf(report.newestSegment());
            durableEnd = report.endOfGoodData();
            if (report.tornAt() >= 0) {
                truncateTornTail(report, log);
            }
        }
        JournalWriter writer = new JournalWriter(dir, sequence, durableEnd, options.segmentBytesMax(), options.faults(),
                options.batches(), log);
        return new Journal(writer, report);
    }

    private static void truncateTornTail(JournalReader.Report report, Log log) throws IOException {
        log.warn("journal torn tail truncated (a crash interrupted an unacknowledged write)",
                Field.file(report.newestSegment()), Field.offset(report.tornAt()), Field.reason(report.tornReason()));
        try (FileChannel channel = FileChannel.open(report.newestSegment(), Set.of(StandardOpenOption.WRITE))) {
            channel.truncate(report.tornAt());
            channel.force(true);
        }
    }

    /**
     * Queues an encoded frame (see {@link RecordCodec#encodeFrame}) for the next batch.
     * The future completes only once the frame is forced to disk, and fails with
     * {@link JournalUnavailableException} otherwise. Never blocks.
     */
    public CompletableFuture<Void> append(byte[] frame) {
        return writer.submit(frame);
    }

    public JournalHealth health() {
        return writer.health();
    }

    /** What start-up replay found (counts for the start-up line). */
    public JournalReader.Report replayReport() {
        return replayReport;
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
