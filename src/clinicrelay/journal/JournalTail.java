package clinicrelay.journal;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the journal forward from a stored position, one checked record at a time, up to
 * a limit the caller gives (the journal's settled position: never a half-written batch).
 * A consumer's cursor is then a journal position and nothing else: however far behind it
 * is, it holds one open file and one read-ahead buffer, never a copy of what it has not
 * read yet. Not thread-safe: one reader per consumer thread.
 */
public final class JournalTail implements AutoCloseable {
    /** Bytes read from the disk at once: dozens of events per read when catching up. */
    static final int READ_AHEAD_BYTES = 64 * 1024;

    private final Path dir;
    private final Log log;
    private final ByteBuffer readAhead = ByteBuffer.allocate(READ_AHEAD_BYTES);
    /** The segment file open now, its sequence, and which file offset {@link #readAhead}'s first byte is. */
    private FileChannel channel;
    private long channelSequence = -1;
    private long readAheadStart = -1;
    private long position;

    /** @param from a record's position (or where one will be): reading starts there */
    public JournalTail(Path dataDir, long from, Log log) {
        this.dir = Journal.directoryIn(dataDir);
        this.position = from;
        this.log = log;
        readAhead.limit(0);
    }

    /** Where the next record is (or will be written): the cursor to store. */
    public long position() {
        return position;
    }

    /** Goes back (or on) to {@code position}, a record's start this reader gave out. */
    public void seek(long position) {
        this.position = position;
    }

    /**
     * The record at the current position if it starts before {@code limit}, and moves past it;
     * null when there is none yet.
     *
     * @throws JournalCorruptException when the bytes at the position are not a good record
     */
    public StoredRecord next(long limit) throws IOException, JournalCorruptException {
        while (position < limit) {
            long sequence = JournalPosition.segmentSequence(position);
            if (!open(sequence)) {
                continue; // skipped to a later segment
            }
            long offset = JournalPosition.offset(position);
            // Bytes past a settled position in its segment may be a batch that will yet fail and be cut
            // off: never read them, not even into the read-ahead.
            long end = JournalPosition.segmentSequence(limit) == sequence ? JournalPosition.offset(limit) : channel.size();
            if (offset >= end) {
                if (!toNextSegment(sequence)) {
                    return null; // the writer has not rolled over yet
                }
                continue;
            }
            byte[] header = read(offset, RecordCodec.FRAME_HEADER_BYTES, end);
            int length = RecordCodec.getInt(header, 0);
            if (length < RecordCodec.PAYLOAD_BYTES_MIN || length > RecordCodec.PAYLOAD_BYTES_MAX) {
                throw new JournalCorruptException(Segments.path(dir, sequence), offset, "no record at a stored position");
            }
            byte[] payload = read(offset + RecordCodec.FRAME_HEADER_BYTES, length, end);
            if (RecordCodec.checksum(header, payload, 0, length) != RecordCodec.getInt(header, 4)) {
                throw new JournalCorruptException(Segments.path(dir, sequence), offset, "checksum mismatch");
            }
            StoredRecord record = RecordCodec.decode(header[8] & 0xFF, payload, Segments.path(dir, sequence), offset);
            if (record == null) {
                throw new JournalCorruptException(Segments.path(dir, sequence), offset, "record layout invalid");
            }
            position = JournalPosition.of(sequence, offset + RecordCodec.FRAME_HEADER_BYTES + length);
            return record;
        }
        return null;
    }

    /**
     * At the end of segment {@code sequence}: moves to the next segment there is (retention
     * may have deleted some meanwhile, saying so), or answers false when there is none yet.
     */
    private boolean toNextSegment(long sequence) throws IOException {
        if (Files.exists(Segments.path(dir, sequence + 1))) {
            position = JournalPosition.of(sequence + 1, Segments.HEADER_BYTES);
            return true;
        }
        long later = laterSegment(sequence);
        if (later < 0) {
            return false;
        }
        skippedTo(later);
        return true;
    }

    private long laterSegment(long sequence) throws IOException {
        return Segments.list(dir).stream().mapToLong(Segments::sequenceOf).filter(s -> s > sequence).min().orElse(-1);
    }

    private void skippedTo(long later) throws IOException {
        log.warn("journal segments a reader still needed were deleted by retention; it goes on from the oldest left",
                Field.file(Segments.path(dir, later)));
        closeChannel();
        position = JournalPosition.of(later, Segments.HEADER_BYTES);
    }

    /**
     * Opens segment {@code sequence} unless it is open. When retention has deleted it, moves
     * the position to the oldest later segment (saying so) and answers false.
     */
    private boolean open(long sequence) throws IOException {
        if (sequence == channelSequence) {
            return true;
        }
        closeChannel();
        try {
            channel = FileChannel.open(Segments.path(dir, sequence), StandardOpenOption.READ);
            channelSequence = sequence;
            return true;
        } catch (NoSuchFileException gone) {
            long later = laterSegment(sequence);
            if (later < 0) {
                throw gone;
            }
            skippedTo(later);
            return false;
        }
    }

    /** {@code length} bytes at {@code at} of the open segment, through the read-ahead buffer, reading nothing from {@code end} on. */
    private byte[] read(long at, int length, long end) throws IOException {
        byte[] bytes = new byte[length];
        if (at + length > end) {
            throw new IOException("segment " + Segments.path(dir, channelSequence) + " ends inside a record at " + at);
        }
        if (length > READ_AHEAD_BYTES) {
            readFully(ByteBuffer.wrap(bytes), at);
            return bytes;
        }
        if (readAheadStart < 0 || at < readAheadStart || at + length > readAheadStart + readAhead.limit()) {
            readAhead.clear();
            readAhead.limit((int) Math.min(READ_AHEAD_BYTES, end - at));
            int got = readFully(readAhead, at);
            readAhead.flip();
            readAheadStart = at;
            if (got < length) {
                throw new IOException("segment " + Segments.path(dir, channelSequence) + " ends inside a record at " + at);
            }
        }
        readAhead.get((int) (at - readAheadStart), bytes);
        return bytes;
    }

    private int readFully(ByteBuffer buffer, long at) throws IOException {
        int start = buffer.position();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position() - start) <= 0) {
                break;
            }
        }
        return buffer.position() - start;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            channelSequence = -1;
            readAheadStart = -1;
            readAhead.clear().limit(0);
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
