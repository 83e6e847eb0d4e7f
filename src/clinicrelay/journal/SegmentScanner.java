package clinicrelay.journal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one segment front to back, checking every frame, and tells apart the two ways a
 * frame can be bad (the LevelDB rule):
 *
 * <ul>
 *   <li><b>torn tail</b> — only in the newest segment, only within the last batch's reach
 *   of its end ({@link #TORN_TAIL_BYTES_MAX}), and only when no valid frame starts anywhere
 *   after the bad one: the file ends inside a frame, the last frame's checksum is wrong, or
 *   the end is zeros or garbage (file length grown but data not written, a disk that wrote
 *   junk). A crash during an append leaves exactly this, and nothing in it was
 *   acknowledged, because we answer only after the batch is forced. Start-up quarantines
 *   it, then cuts it off ({@link Journal#open});</li>
 *   <li><b>corruption</b> — anything else: a bad frame followed by a valid one (a damaged
 *   length field can make a frame seem to run past the end), a bad region longer than any
 *   batch, or any bad frame in an older segment. Dropping it could drop acknowledged
 *   events, so it is an error naming the file and offset.</li>
 * </ul>
 */
final class SegmentScanner {
    private static final int READ_BUFFER_BYTES = 1 << 20;
    /** The most a crash can leave unfinished: one batch, which is never larger than this. */
    static final int TORN_TAIL_BYTES_MAX = JournalWriter.BATCH_BYTES_MAX;

    /** Receives each good record in order. */
    interface Visitor {
        void visit(StoredRecord record) throws JournalCorruptException;
    }

    /**
     * @param endOfGoodData offset just past the last good frame
     * @param tornAt        offset of the torn tail, or -1 when the segment ends cleanly
     * @param tornReason    why the tail counts as torn, or null
     */
    record Result(long endOfGoodData, long tornAt, String tornReason, long records) {
    }

    private SegmentScanner() {
    }

    static Result scan(Path segment, boolean newest, Visitor visitor) throws IOException, JournalCorruptException {
        return scan(segment, newest, Segments.HEADER_BYTES, visitor);
    }

    /** Reads the frames from {@code startOffset} on (a frame's start: where a checkpoint stands). */
    static Result scan(Path segment, boolean newest, long startOffset, Visitor visitor) throws IOException, JournalCorruptException {
        long fileBytes = Files.size(segment);
        if (startOffset < Segments.HEADER_BYTES || startOffset > fileBytes) {
            throw new JournalCorruptException(segment, startOffset, "a checkpoint's position past the end of its segment");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(segment), READ_BUFFER_BYTES)) {
            byte[] header = in.readNBytes(Segments.HEADER_BYTES);
            if (header.length < Segments.HEADER_BYTES) {
                throw new JournalCorruptException(segment, 0, "segment header incomplete");
            }
            String headerProblem = Segments.headerProblem(header);
            if (headerProblem != null) {
                throw new JournalCorruptException(segment, 0, headerProblem);
            }
            in.skipNBytes(startOffset - Segments.HEADER_BYTES);
            return scanFrames(segment, newest, fileBytes, startOffset, in, visitor);
        }
    }

    private static Result scanFrames(Path segment, boolean newest, long fileBytes, long startOffset, InputStream in,
                                     Visitor visitor) throws IOException, JournalCorruptException {
        long offset = startOffset;
        long records = 0;
        byte[] frameHeader = new byte[RecordCodec.FRAME_HEADER_BYTES];
        while (true) {
            // Only the bytes present when the scan began count: a live server may be appending
            // (journal verify runs next to it), and a half-seen batch is simply not there yet.
            if (offset == fileBytes) {
                return new Result(offset, -1, null, records);
            }
            if (offset + frameHeader.length > fileBytes
                    || in.readNBytes(frameHeader, 0, frameHeader.length) < frameHeader.length) {
                return torn(segment, newest, offset, fileBytes, records, "file ends inside a frame header");
            }
            int length = RecordCodec.getInt(frameHeader, 0);
            if (length < RecordCodec.PAYLOAD_BYTES_MIN || length > RecordCodec.PAYLOAD_BYTES_MAX) {
                return badFrame(segment, newest, fileBytes, offset, records, "implausible frame length " + length);
            }
            long frameEnd = offset + RecordCodec.FRAME_HEADER_BYTES + length;
            if (frameEnd > fileBytes) {
                return torn(segment, newest, offset, fileBytes, records, "file ends inside a frame");
            }
            byte[] payload = in.readNBytes(length);
            if (payload.length < length) {
                return torn(segment, newest, offset, fileBytes, records, "file ends inside a frame");
            }
            if (!checksumMatches(frameHeader, payload)) {
                return badFrame(segment, newest, fileBytes, offset, records, "checksum mismatch");
            }
            StoredRecord record = RecordCodec.decode(frameHeader[8] & 0xFF, payload, segment, offset);
            if (record == null) {
                throw new JournalCorruptException(segment, offset, "record layout invalid despite a good checksum");
            }
            visitor.visit(record);
            records++;
            offset = frameEnd;
        }
    }

    /** The one frame at {@code offset}, checked; for reading a record back by its position. */
    static StoredRecord readAt(Path segment, long offset) throws IOException, JournalCorruptException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            byte[] frameHeader = readFully(channel, offset, RecordCodec.FRAME_HEADER_BYTES);
            int length = frameHeader.length < RecordCodec.FRAME_HEADER_BYTES ? -1 : RecordCodec.getInt(frameHeader, 0);
            if (length < RecordCodec.PAYLOAD_BYTES_MIN || length > RecordCodec.PAYLOAD_BYTES_MAX) {
                throw new JournalCorruptException(segment, offset, "no record at this position");
            }
            byte[] payload = readFully(channel, offset + RecordCodec.FRAME_HEADER_BYTES, length);
            if (payload.length < length || !checksumMatches(frameHeader, payload)) {
                throw new JournalCorruptException(segment, offset, "the record at this position is damaged");
            }
            StoredRecord record = RecordCodec.decode(frameHeader[8] & 0xFF, payload, segment, offset);
            if (record == null) {
                throw new JournalCorruptException(segment, offset, "record layout invalid despite a good checksum");
            }
            return record;
        }
    }

    private static byte[] readFully(FileChannel channel, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) <= 0) {
                break;
            }
        }
        return buffer.position() == length ? buffer.array() : java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static boolean checksumMatches(byte[] frameHeader, byte[] payload) {
        return RecordCodec.checksum(frameHeader, payload, 0, payload.length) == RecordCodec.getInt(frameHeader, 4);
    }

    /** The file ends inside this frame: torn, unless a valid frame follows (a damaged length). */
    private static Result torn(Path segment, boolean newest, long offset, long fileBytes, long records, String reason)
            throws IOException, JournalCorruptException {
        if (!newest) {
            throw new JournalCorruptException(segment, offset, reason + " in a closed segment");
        }
        requireNothingValidAfter(segment, offset, fileBytes, reason);
        return new Result(offset, offset, reason, records);
    }

    /** A frame with a bad length or checksum: a torn tail in the newest segment when no valid frame follows it. */
    private static Result badFrame(Path segment, boolean newest, long fileBytes, long offset, long records,
                                   String reason) throws IOException, JournalCorruptException {
        if (!newest) {
            throw new JournalCorruptException(segment, offset, reason);
        }
        requireNothingValidAfter(segment, offset, fileBytes, reason);
        return new Result(offset, offset, reason + " at the end of the newest segment", records);
    }

    /**
     * Refuses to call the bytes from {@code offset} a torn tail when they are longer than a
     * batch, or when a frame with a good checksum starts anywhere after {@code offset}.
     */
    private static void requireNothingValidAfter(Path segment, long offset, long fileBytes, String reason)
            throws IOException, JournalCorruptException {
        long tailBytes = fileBytes - offset;
        if (tailBytes > TORN_TAIL_BYTES_MAX) {
            throw new JournalCorruptException(segment, offset, reason + ", with more bytes after it than a crash can leave");
        }
        byte[] tail = new byte[(int) tailBytes];
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(tail);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // read the whole tail
            }
        }
        for (int at = 1; at + RecordCodec.FRAME_HEADER_BYTES <= tail.length; at++) {
            if (isValidFrameAt(tail, at)) {
                throw new JournalCorruptException(segment, offset,
                        reason + ", yet a valid record follows at offset " + (offset + at));
            }
        }
    }

    private static boolean isValidFrameAt(byte[] bytes, int at) {
        int length = RecordCodec.getInt(bytes, at);
        if (length < RecordCodec.PAYLOAD_BYTES_MIN || length > RecordCodec.PAYLOAD_BYTES_MAX
                || (long) at + RecordCodec.FRAME_HEADER_BYTES + length > bytes.length) {
            return false;
        }
        byte[] header = java.util.Arrays.copyOfRange(bytes, at, at + RecordCodec.FRAME_HEADER_BYTES);
        return RecordCodec.checksum(header, bytes, at + RecordCodec.FRAME_HEADER_BYTES, length) == RecordCodec.getInt(bytes, at + 4);
    }
}
