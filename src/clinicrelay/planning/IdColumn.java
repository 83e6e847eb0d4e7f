package clinicrelay.planning;

import clinicrelay.columns.ByteColumn;
import clinicrelay.columns.LongColumn;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The appointment ids of a table's rows. Zocdoc's ids are lowercase UUIDs, kept as two
 * numbers (17 bytes a row, against ~60 as a byte array and its reference); any other id is
 * kept as its bytes in a side map (ids of other sources, tests). Not thread-safe.
 */
final class IdColumn {
    private static final byte FREE = 0;
    private static final byte UUID = 1;
    private static final byte OTHER = 2;
    private static final int UUID_LENGTH = 36;

    /** An id ready to compare with rows: its packed form or its bytes, and its hash. */
    static final class Key {
        final boolean uuid;
        final long high;
        final long low;
        final byte[] bytes;
        final int hash;

        private Key(boolean uuid, long high, long low, byte[] bytes) {
            this.uuid = uuid;
            this.high = high;
            this.low = low;
            this.bytes = bytes;
            this.hash = uuid ? mix(high ^ Long.rotateLeft(low, 29)) : fnv(bytes);
        }
    }

    private final ByteColumn form = new ByteColumn(FREE);
    private final LongColumn high = new LongColumn(0);
    private final LongColumn low = new LongColumn(0);
    private final Map<Integer, byte[]> others = new HashMap<>();

    static Key key(String id) {
        if (isLowercaseUuid(id)) {
            return new Key(true, hex(id, 0, 8) << 32 | hex(id, 9, 13) << 16 | hex(id, 14, 18),
                    hex(id, 19, 23) << 48 | hex(id, 24, 36), null);
        }
        return new Key(false, 0, 0, id.getBytes(StandardCharsets.UTF_8));
    }

    void ensure(int rows) {
        form.ensure(rows);
        high.ensure(rows);
        low.ensure(rows);
    }

    boolean inUse(int row) {
        return form.get(row) != FREE;
    }

    boolean matches(int row, Key key) {
        if (key.uuid) {
            return form.get(row) == UUID && high.get(row) == key.high && low.get(row) == key.low;
        }
        return form.get(row) == OTHER && Arrays.equals(others.get(row), key.bytes);
    }

    void set(int row, Key key) {
        if (key.uuid) {
            form.set(row, UUID);
            high.set(row, key.high);
            low.set(row, key.low);
        } else {
            form.set(row, OTHER);
            others.put(row, key.bytes);
        }
    }

    void clear(int row) {
        if (form.get(row) == OTHER) {
            others.remove(row);
        }
        form.set(row, FREE);
    }

    int hash(int row) {
        return form.get(row) == UUID ? mix(high.get(row) ^ Long.rotateLeft(low.get(row), 29)) : fnv(others.get(row));
    }

    String get(int row) {
        if (form.get(row) == OTHER) {
            return new String(others.get(row), StandardCharsets.UTF_8);
        }
        char[] text = new char[UUID_LENGTH];
        int at = UUID_LENGTH;
        long value = low.get(row);
        for (int digit = 0; digit < 32; digit++) {
            if (digit == 16) {
                value = high.get(row);
            }
            if (at == 8 + 1 || at == 13 + 1 || at == 18 + 1 || at == 23 + 1) {
                text[--at] = '-';
            }
            text[--at] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
        return new String(text);
    }

    private static boolean isLowercaseUuid(String id) {
        if (id.length() != UUID_LENGTH) {
            return false;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = id.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The hex digits of {@code text[from, to)} as a number (they were checked to be lowercase hex). */
    private static long hex(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            value = value << 4 | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return value;
    }

    /** FNV-1a over the bytes, then mixed, so similar ids spread over the table. */
    private static int fnv(byte[] key) {
        int h = 0x811C9DC5;
        for (byte b : key) {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        return mix(h);
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
