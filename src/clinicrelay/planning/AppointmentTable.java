package clinicrelay.planning;

import clinicrelay.columns.ByteColumn;
import clinicrelay.columns.Column;
import clinicrelay.columns.IntColumn;
import clinicrelay.columns.LongColumn;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The appointments' state in columns of primitives, indexed by a dense slot number and
 * found by id through an open-addressing table (linear probing, deletion by backward
 * shift, so no tombstones): about 110 bytes an appointment, against ~1.6 KB as objects
 * with their patient. No patient data is held here; each appointment keeps the journal
 * positions of the events that carried its details, which are read back when a message
 * is sent. Not thread-safe: owned by the engine's thread.
 */
final class AppointmentTable {
    /** Events whose details are merged when a message is sent; older ones fall off (the newest say most). */
    static final int POSITIONS_MAX = 4;
    static final long NO_START = Long.MIN_VALUE;
    static final long NO_VERSION = Long.MIN_VALUE;
    static final long NO_POSITION = -1;
    /** Status byte of an entry that only anchors deliveries: the appointment itself is not (or no longer) known. */
    static final byte UNKNOWN = 0;
    private static final int INITIAL_ROWS = 1 << 10;

    /** Id index: row + 1 per slot, 0 for an empty slot; at most half full. */
    private int[] slots = new int[2 * INITIAL_ROWS];
    private final IdColumn ids = new IdColumn();
    private final LongColumn startSecond = new LongColumn(NO_START);
    private final IntColumn startOffsetSeconds = new IntColumn(0);
    private final ByteColumn status = new ByteColumn(UNKNOWN);
    private final ByteColumn reach = new ByteColumn((byte) 0);
    private final LongColumn versionMillis = new LongColumn(NO_VERSION);
    private final IntColumn provider = new IntColumn(-1);
    /** The newest detail event's position, or {@link #NO_POSITION}. */
    private final LongColumn newestPosition = new LongColumn(NO_POSITION);
    /** The older detail positions, newest first, as a chain in {@link #pool}; -1 for none (most rows). */
    private final IntColumn olderPositions = new IntColumn(-1);
    private final PositionPool pool = new PositionPool();
    /** The first of the row's deliveries (the delivery book's list), or -1. */
    private final IntColumn work = new IntColumn(-1);
    private final List<Column> columns = List.of(startSecond, startOffsetSeconds, status, reach, versionMillis, provider,
            newestPosition, olderPositions, work);
    /** Rows freed by removal, reused before new ones. */
    private int[] free = new int[16];
    private int freeCount;
    private int rowsUsed;
    private int size;

    int size() {
        return size;
    }

    /** One past the highest row ever used: rows below it may be in use. */
    int rowLimit() {
        return rowsUsed;
    }

    boolean inUse(int row) {
        return row < rowsUsed && ids.inUse(row);
    }

    /** The row of this id, or -1. */
    int find(String id) {
        IdColumn.Key key = IdColumn.key(id);
        int mask = slots.length - 1;
        for (int slot = key.hash & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            if (ids.matches(slots[slot] - 1, key)) {
                return slots[slot] - 1;
            }
        }
        return -1;
    }

    /** A new row for this id (which must not be present), with nothing known yet. */
    int add(String id) {
        IdColumn.Key key = IdColumn.key(id);
        if ((size + 1) * 2 > slots.length) {
            resizeSlots(slots.length * 2);
        }
        int row = freeCount > 0 ? free[--freeCount] : newRow();
        ids.set(row, key);
        startSecond.set(row, NO_START);
        startOffsetSeconds.set(row, 0);
        status.set(row, UNKNOWN);
        reach.set(row, (byte) 0);
        versionMillis.set(row, NO_VERSION);
        provider.set(row, -1);
        newestPosition.set(row, NO_POSITION);
        olderPositions.set(row, -1);
        work.set(row, -1);
        int mask = slots.length - 1;
        int slot = key.hash & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = row + 1;
        size++;
        return row;
    }

    /** Removes the row; later rows of its probe run move back so no lookup is broken. */
    void remove(int row) {
        int mask = slots.length - 1;
        int slot = ids.hash(row) & mask;
        while (slots[slot] != row + 1) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = 0;
        for (int next = (slot + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
            int home = ids.hash(slots[next] - 1) & mask;
            // move it back when its home is not inside the (cyclic) range (slot, next]
            boolean between = slot <= next ? home > slot && home <= next : home > slot || home <= next;
            if (!between) {
                slots[slot] = slots[next];
                slots[next] = 0;
                slot = next;
            }
        }
        ids.clear(row);
        pool.freeChain(olderPositions.get(row));
        olderPositions.set(row, -1);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = row;
        size--;
    }

    String id(int row) {
        return ids.get(row);
    }

    long startSecond(int row) {
        return startSecond.get(row);
    }

    int startOffsetSeconds(int row) {
        return startOffsetSeconds.get(row);
    }

    void start(int row, long second, int offsetSeconds) {
        startSecond.set(row, second);
        startOffsetSeconds.set(row, offsetSeconds);
    }

    byte status(int row) {
        return status.get(row);
    }

    void status(int row, byte value) {
        status.set(row, value);
    }

    byte reach(int row) {
        return reach.get(row);
    }

    void reach(int row, byte value) {
        reach.set(row, value);
    }

    long versionMillis(int row) {
        return versionMillis.get(row);
    }

    void versionMillis(int row, long value) {
        versionMillis.set(row, value);
    }

    int provider(int row) {
        return provider.get(row);
    }

    void provider(int row, int value) {
        provider.set(row, value);
    }

    int work(int row) {
        return work.get(row);
    }

    void work(int row, int first) {
        work.set(row, first);
    }

    /** The positions of the events that carried this appointment's details, oldest first. */
    long[] positions(int row) {
        if (newestPosition.get(row) == NO_POSITION) {
            return new long[0];
        }
        long[] older = pool.chain(olderPositions.get(row));
        long[] all = new long[older.length + 1];
        for (int i = 0; i < older.length; i++) {
            all[i] = older[older.length - 1 - i];
        }
        all[older.length] = newestPosition.get(row);
        return all;
    }

    /** The oldest detail position any row holds, or {@link Long#MAX_VALUE}. */
    long oldestPosition() {
        long oldest = Long.MAX_VALUE;
        for (int row = 0; row < rowsUsed; row++) {
            if (ids.inUse(row) && newestPosition.get(row) != NO_POSITION) {
                oldest = Math.min(oldest, newestPosition.get(row));
                for (long older : pool.chain(olderPositions.get(row))) {
                    oldest = Math.min(oldest, older);
                }
            }
        }
        return oldest;
    }

    /** Adds the newest event with details; past {@link #POSITIONS_MAX} the oldest falls off. */
    void addPosition(int row, long position) {
        if (newestPosition.get(row) != NO_POSITION) {
            olderPositions.set(row, pool.push(olderPositions.get(row), newestPosition.get(row), POSITIONS_MAX - 1));
        }
        newestPosition.set(row, position);
    }

    /** One row, for a checkpoint: its id and state (not its deliveries, which the book writes). */
    void writeRow(int row, DataOutputStream out) throws IOException {
        byte[] id = ids.get(row).getBytes(StandardCharsets.UTF_8);
        out.writeShort(id.length);
        out.write(id);
        out.writeLong(startSecond.get(row));
        out.writeInt(startOffsetSeconds.get(row));
        out.writeByte(status.get(row));
        out.writeByte(reach.get(row));
        out.writeLong(versionMillis.get(row));
        out.writeInt(provider.get(row));
        long[] kept = positions(row);
        out.writeByte(kept.length);
        for (long position : kept) {
            out.writeLong(position);
        }
    }

    /** A row as {@link #writeRow} wrote it, added to the table; returns its row. */
    int readRow(DataInputStream in) throws IOException {
        byte[] id = new byte[in.readUnsignedShort()];
        in.readFully(id);
        int row = add(new String(id, StandardCharsets.UTF_8));
        startSecond.set(row, in.readLong());
        startOffsetSeconds.set(row, in.readInt());
        status.set(row, in.readByte());
        reach.set(row, in.readByte());
        versionMillis.set(row, in.readLong());
        provider.set(row, in.readInt());
        int count = in.readByte();
        if (count < 0 || count > POSITIONS_MAX) {
            throw new IOException("a row with " + count + " positions");
        }
        for (int i = 0; i < count; i++) {
            addPosition(row, in.readLong());
        }
        return row;
    }

    /** Forgets what is known of the appointment, keeping the row (and its deliveries' anchor). */
    void clearState(int row) {
        startSecond.set(row, NO_START);
        status.set(row, UNKNOWN);
        reach.set(row, (byte) 0);
        versionMillis.set(row, NO_VERSION);
        newestPosition.set(row, NO_POSITION);
        pool.freeChain(olderPositions.get(row));
        olderPositions.set(row, -1);
    }

    private int newRow() {
        int row = rowsUsed++;
        ids.ensure(rowsUsed);
        for (Column column : columns) {
            column.ensure(rowsUsed);
        }
        return row;
    }

    private void resizeSlots(int count) {
        slots = new int[count];
        int mask = count - 1;
        for (int row = 0; row < rowsUsed; row++) {
            if (ids.inUse(row)) {
                int slot = ids.hash(row) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = row + 1;
            }
        }
    }
}
