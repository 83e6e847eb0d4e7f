package clinicrelay.journal;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Checkpoint files in {@code DATA_DIR/checkpoint/}: an image of the derived state (what
 * replay would rebuild) as of one journal position, so that start-up reads the newest
 * image and replays only the records after it. Layout:
 *
 * <pre>
 *   magic "CRCKPT01" (8 bytes) | position (u64) | needs from (u64) | state... | state length (u64)
 *   | CRC-32C of the positions and the state (u32)
 * </pre>
 *
 * "Needs from" is the oldest journal position a start from it reads (events it lists as
 * not yet folded in lie before its position): retention keeps every segment from there.
 *
 * <pre>
 * </pre>
 *
 * A checkpoint is written aside ({@code .tmp}), forced, renamed into place and the folder
 * forced: it is either whole or absent. The newest {@link #KEPT} stay, so a damaged newest
 * one falls back to the one before it, and a damaged everything to a full replay.
 */
public final class CheckpointFile {
    public static final String DIRECTORY_NAME = "checkpoint";
    /** Checkpoints kept: the newest, and one to fall back to. */
    static final int KEPT = 2;
    private static final byte[] MAGIC = "CRCKPT01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String SUFFIX = ".ckpt";
    private static final String UNUSABLE_SUFFIX = ".unusable";
    private static final int BUFFER_BYTES = 1 << 16;

    /** Writes one image of the state. */
    @FunctionalInterface
    public interface StateWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads one image of the state. */
    @FunctionalInterface
    public interface StateReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** A checkpoint read back: the position it covers and what its reader made of it. */
    public record Loaded<T>(long position, T state, Path file, long needsFrom) {
    }

    private static final int HEADER_BYTES = 8 + Long.BYTES + Long.BYTES;
    private static final int TRAILER_BYTES = Long.BYTES + Integer.BYTES;

    private CheckpointFile() {
    }

    public static Path directoryIn(Path dataDir) {
        return dataDir.resolve(DIRECTORY_NAME);
    }

    /**
     * Writes a checkpoint covering the journal up to {@code position}; the state is
     * streamed, never held whole in memory. Older checkpoints beyond {@link #KEPT} go.
     *
     * @return the file written
     */
    public static Path write(Path dataDir, long position, long needsFrom, StateWriter state) throws IOException {
        Path dir = PrivateFiles.directory(directoryIn(dataDir));
        Path target = dir.resolve(String.format(Locale.ROOT, "%016x", position) + SUFFIX);
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), PrivateFiles.fileMode())) {
            OutputStream file = Channels.newOutputStream(channel);
            file.write(MAGIC);
            byte[] positionBytes = ByteBuffer.allocate(2 * Long.BYTES).putLong(position).putLong(needsFrom).array();
            file.write(positionBytes);
            CRC32C crc = new CRC32C();
            crc.update(positionBytes); // a flipped bit in the position must not pass for another position
            CountingStream counted = new CountingStream(new CheckedOutputStream(file, crc));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counted, BUFFER_BYTES));
            state.write(out);
            out.flush();
            DataOutputStream trailer = new DataOutputStream(file);
            trailer.writeLong(counted.count);
            trailer.writeInt((int) crc.getValue());
            trailer.flush();
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        PrivateFiles.forceDirectory(dir);
        List<Path> all = list(dir);
        for (int i = 0; i < all.size() - KEPT; i++) {
            Files.deleteIfExists(all.get(i));
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path stale : (Iterable<Path>) entries.filter(p -> p.toString().endsWith(".tmp"))::iterator) {
                Files.deleteIfExists(stale); // one a crash left half-written
            }
        }
        return target;
    }

    /**
     * The newest checkpoint that reads back whole (its checksum good, its reader content),
     * or null when there is none; each damaged one passed over is logged.
     */
    public static <T> Loaded<T> readNewest(Path dataDir, StateReader<T> reader, Log log) {
        Path dir = directoryIn(dataDir);
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> all;
        try {
            all = list(dir);
        } catch (IOException unreadable) {
            log.error("checkpoints cannot be listed; replaying the whole journal", Field.reason(unreadable.getClass().getSimpleName()));
            return null;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Path file = all.get(i);
            try {
                return read(file, reader);
            } catch (IOException | RuntimeException damaged) {
                log.error("checkpoint unusable; falling back to an older one or a full replay", Field.file(file),
                        Field.reason(damaged.getClass().getSimpleName() + (damaged.getMessage() == null ? "" : ": " + damaged.getMessage())));
                setAside(file, log);
            }
        }
        return null;
    }

    /**
     * The oldest position any whole checkpoint here that {@code usable} accepts needs
     * ({@link JournalPosition#NONE} when there is none): retention deletes no segment from
     * there on.
     *
     * @param usable reads the start of an image and throws when this version cannot start from it
     */
    public static long oldestNeeded(Path dataDir, StateReader<?> usable) throws IOException {
        Path dir = directoryIn(dataDir);
        if (!Files.isDirectory(dir)) {
            return JournalPosition.NONE;
        }
        long oldest = JournalPosition.NONE;
        for (Path file : list(dir)) {
            try {
                long needs = read(file, in -> {
                    usable.read(in);
                    return null;
                }).needsFrom;
                oldest = oldest == JournalPosition.NONE ? needs : Math.min(oldest, needs);
            } catch (IOException | RuntimeException damaged) {
                // a damaged checkpoint is never started from, so needs nothing
            }
        }
        return oldest;
    }

    private record Header(long position, long needsFrom) {
    }

    private static <T> Loaded<T> read(Path file, StateReader<T> reader) throws IOException {
        long size = Files.size(file);
        if (size < HEADER_BYTES + TRAILER_BYTES) {
            throw new IOException("too short");
        }
        long stateBytes = size - HEADER_BYTES - TRAILER_BYTES;
        Header header;
        int expectedCrc;
        long recordedLength;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
            channel.read(head, 0);
            head.flip();
            byte[] magic = new byte[MAGIC.length];
            head.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a checkpoint");
            }
            header = new Header(head.getLong(), head.getLong());
            ByteBuffer tail = ByteBuffer.allocate(TRAILER_BYTES);
            channel.read(tail, size - TRAILER_BYTES);
            tail.flip();
            recordedLength = tail.getLong();
            expectedCrc = tail.getInt();
        }
        if (recordedLength != stateBytes) {
            throw new IOException("length " + recordedLength + " does not match the file");
        }
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(2 * Long.BYTES).putLong(header.position()).putLong(header.needsFrom()).array());
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(HEADER_BYTES);
            InputStream state = new BoundedStream(new CheckedInputStream(new BufferedInputStream(in, BUFFER_BYTES), crc), stateBytes);
            byte[] buffer = new byte[BUFFER_BYTES];
            while (state.read(buffer) > 0) {
                // checksum first: a damaged file is never parsed
            }
        }
        if ((int) crc.getValue() != expectedCrc) {
            throw new IOException("checksum mismatch");
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(HEADER_BYTES);
            DataInputStream data = new DataInputStream(new BoundedStream(new BufferedInputStream(in, BUFFER_BYTES), stateBytes));
            T state = reader.read(data);
            if (state != null && data.read() != -1) {
                throw new IOException("state longer than its reader expects");
            }
            return new Loaded<>(header.position(), state, file, header.needsFrom());
        }
    }

    /**
     * Renames a checkpoint that cannot be used to {@code <name>.unusable} (kept, for a look):
     * left in place, one named after a position past the journal's end would stay "newest"
     * and be tried first at every start.
     */
    public static void setAside(Path file, Log log) {
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + UNUSABLE_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException cannot) {
            log.warn("an unusable checkpoint could not be set aside", Field.file(file));
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(files::add);
        }
        files.sort(null); // hex positions, zero-padded: name order is position order
        return files;
    }

    /** Counts the bytes through it. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Ends after {@code limit} bytes. */
    private static final class BoundedStream extends java.io.FilterInputStream {
        private long left;

        BoundedStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int read = in.read(b, off, (int) Math.min(len, left));
            if (read > 0) {
                left -= read;
            }
            return read;
        }
    }
}
