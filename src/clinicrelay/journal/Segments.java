package clinicrelay.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Naming, header and creation of segment files.
 *
 * <p>A segment is {@code <20-digit sequence>.seg}: a 16-byte header ({@code CRJOURNL},
 * format version u32, reserved u32 = 0) followed by frames. A new segment is written
 * whole under a temporary name and renamed into place, so a segment with a partial
 * header never exists; only its last frames can be torn by a crash.
 */
final class Segments {
    static final int HEADER_BYTES = 16;
    /** The first segment's number: a journal whose oldest segment has another was cut by retention. */
    static final long FIRST_SEQUENCE = 1;
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "CRJOURNL".getBytes(StandardCharsets.US_ASCII);
    private static final String SUFFIX = ".seg";
    private static final int SEQUENCE_DIGITS = 20;

    private Segments() {
    }

    static Path path(Path dir, long sequence) {
        String digits = Long.toString(sequence);
        return dir.resolve("0".repeat(SEQUENCE_DIGITS - digits.length()) + digits + SUFFIX);
    }

    static long sequenceOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    /** Segment files in the folder, oldest first. Other files (temporaries, notes) are ignored. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.length() == SEQUENCE_DIGITS + SUFFIX.length() && name.endsWith(SUFFIX)
                        && name.chars().limit(SEQUENCE_DIGITS).allMatch(Character::isDigit)) {
                    segments.add(entry);
                }
            }
        }
        segments.sort(null);
        return segments;
    }

    static byte[] header() {
        byte[] header = new byte[HEADER_BYTES];
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
        RecordCodec.putInt(header, 8, FORMAT_VERSION);
        return header;
    }

    /** @return null when the header is good, else the reason */
    static String headerProblem(byte[] header) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (header[i] != MAGIC[i]) {
                return "not a clinic-relay journal segment (bad magic)";
            }
        }
        int version = RecordCodec.getInt(header, 8);
        if (version != FORMAT_VERSION) {
            return "unsupported segment format version " + version;
        }
        return null;
    }

    /** Creates segment {@code sequence} durably (temp → force → rename → force folder). */
    static Path create(Path dir, long sequence) throws IOException {
        Path target = path(dir, sequence);
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel channel = FileChannel.open(temp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PrivateFiles.fileMode())) {
            ByteBuffer header = ByteBuffer.wrap(header());
            while (header.hasRemaining()) {
                channel.write(header);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.forceDirectory(dir);
        return target;
    }
}
