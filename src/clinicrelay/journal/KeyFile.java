package clinicrelay.journal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/** Encoding and reading the data-key file (layout in {@link DataKeys}). */
final class KeyFile {
    private static final byte[] MAGIC = "CRKEYS01".getBytes(StandardCharsets.US_ASCII);
    /** Largest key file read: every entry alive, with room to spare. */
    private static final int BYTES_MAX = 1 << 20;
    private static final byte ALIVE = 1;
    private static final byte ERASED = 2;

    /** One entry as stored: wrapped key bytes when alive, else null and when it was erased. */
    record Stored(int period, byte[] wrapped, long erasedAtSecond) {
    }

    /** What was read: the entries of the newest whole copy, its generation, and whether the other copy lags or is damaged. */
    record Read(List<Stored> entries, long generation, boolean staleCopy) {
    }

    private KeyFile() {
    }

    /**
     * The newest of the two copies that is whole; none at all is an empty set (a new
     * DATA_DIR).
     *
     * @throws DataKeys.KeyFileException when copies exist and none is whole
     */
    static Read readNewest(Path file, Path mirror) throws IOException, DataKeys.KeyFileException {
        Read first = readOrNull(file);
        Read second = readOrNull(mirror);
        boolean anyExists = Files.exists(file) || Files.exists(mirror);
        if (first == null && second == null) {
            if (anyExists) {
                throw new DataKeys.KeyFileException("the data-key file " + file + " and its mirror are both damaged:"
                        + " restore them from a backup (keys/ directory)");
            }
            return new Read(List.of(), 0, false);
        }
        Read newest = second == null || first != null && first.generation() >= second.generation() ? first : second;
        boolean stale = first == null || second == null || first.generation() != second.generation();
        return new Read(newest.entries(), newest.generation(), stale);
    }

    private static Read readOrNull(Path path) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(path) > BYTES_MAX) {
                return null;
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException absent) {
            return null;
        }
        if (bytes.length < MAGIC.length + Long.BYTES + Integer.BYTES + Integer.BYTES
                || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - Integer.BYTES);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - Integer.BYTES, Integer.BYTES).getInt()) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
                    bytes.length - MAGIC.length - Integer.BYTES));
            long generation = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > DataKeys.ENTRIES_MAX) {
                return null;
            }
            List<Stored> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int period = in.readInt();
                byte state = in.readByte();
                if (state == ALIVE) {
                    int length = in.readUnsignedShort();
                    if (length < PhiCipher.OVERHEAD_BYTES) {
                        return null; // not a wrapped key: a damaged copy
                    }
                    byte[] wrapped = new byte[length];
                    in.readFully(wrapped);
                    entries.add(new Stored(period, wrapped, 0));
                } else if (state == ERASED) {
                    entries.add(new Stored(period, null, in.readLong()));
                } else {
                    return null;
                }
            }
            return in.available() == 0 ? new Read(entries, generation, false) : null;
        } catch (IOException truncated) {
            return null;
        }
    }

    static byte[] encode(long generation, List<Stored> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeLong(generation);
            out.writeInt(entries.size());
            for (Stored entry : entries) {
                out.writeInt(entry.period());
                if (entry.wrapped() == null) {
                    out.writeByte(ERASED);
                    out.writeLong(entry.erasedAtSecond());
                } else {
                    out.writeByte(ALIVE);
                    out.writeShort(entry.wrapped().length);
                    out.write(entry.wrapped());
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return bytes.toByteArray();
    }
}
