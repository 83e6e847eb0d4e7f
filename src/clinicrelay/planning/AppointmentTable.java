package clinicrelay.planning;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    private final IdColumn ids = new IdColumn(INITIAL_ROWS);
    private int capacity = INITIAL_ROWS;
    private long[] startSecond = new long[INITIAL_ROWS];
    private int[] startOffsetSeconds = new int[INITIAL_ROWS];
    private byte[] status = new byte[INITIAL_ROWS];
    private byte[] reach = new byte[INITIAL_ROWS];
    private long[] versionMillis = new long[INITIAL_ROWS];
    private int[] provider = new int[INITIAL_ROWS];
    /** The newest detail event's position, or {@link #NO_POSITION}. */
    private long[] newestPosition = new long[INITIAL_ROWS];
    /** The older detail positions, newest first, as a chain in {@link #pool}; -1 for none (most rows). */
    private int[] olderPositions = new int[INITIAL_ROWS];
    private final PositionPool pool = new PositionPool();
    /** The first of the row's deliveries (the delivery book's list), or -1. */
    private int[] work = new int[INITIAL_ROWS];
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
        startSecond[row] = NO_START;
        startOffsetSeconds[row] = 0;
        status[row] = UNKNOWN;
        reach[row] = 0;
        versionMillis[row] = NO_VERSION;
        provider[row] = -1;
        newestPosition[row] = NO_POSITION;
        olderPositions[row] = -1;
        work[row] = -1;
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
        pool.freeChain(olderPositions[row]);
        olderPositions[row] = -1;
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
        return startSecond[row];
    }

    int startOffsetSeconds(int row) {
        return startOffsetSeconds[row];
    }

    void start(int row, long second, int offsetSeconds) {
        startSecond[row] = second;
        startOffsetSeconds[row] = offsetSeconds;
    }

    byte status(int row) {
        return status[row];
    }

    void status(int row, byte value) {
        status[row] = value;
    }

    byte reach(int row) {
        return reach[row];
    }

    void reach(int row, byte value) {
        reach[row] = value;
    }

    long versionMillis(int row) {
        return versionMillis[row];
    }

    void versionMillis(int row, long value) {
        versionMillis[row] = value;
    }

    int provider(int row) {
        return provider[row];
    }

    void provider(int row, int value) {
        provider[row] = value;
    }

    int work(int row) {
        return work[row];
    }

    void work(int row, int first) {
        work[row] = first;
    }

    /** The positions of the events that carried this appointment's details, oldest first. */
    long[] positions(int row) {
        if (newestPosition[row] == NO_POSITION) {
            return new long[0];
        }
        long[] older = pool.chain(olderPositions[row]);
        long[] all = new long[older.length + 1];
        for (int i = 0; i < older.length; i++) {
            all[i] = older[older.length - 1 - i];
        }
        all[older.length] = newestPosition[row];
        return all;
    }

    /** The oldest detail position any row holds, or {@link Long#MAX_VALUE}. */
    long oldestPosition() {
        long oldest = Long.MAX_VALUE;
        for (int row = 0; row < rowsUsed; row++) {
            if (ids.inUse(row) && newestPosition[row] != NO_POSITION) {
                oldest = Math.min(oldest, newestPosition[row]);
                for (long older : pool.chain(olderPositions[row])) {
                    oldest = Math.min(oldest, older);
                }
            }
        }
        return oldest;
    }

    /** Adds the newest event with details; past {@link #POSITIONS_MAX} the oldest falls off. */
    void addPosition(int row, long position) {
        if (newestPosition[row] != NO_POSITION) {
            olderPositions[row] = pool.push(olderPositions[row], newestPosition[row], POSITIONS_MAX - 1);
        }
        newestPosition[row] = position;
    }

    /** One row, for a checkpoint: its id and state (not its deliveries, which the book writes). */
    void writeRow(int row, DataOutputStream out) throws IOException {
        byte[] id = ids.get(row).getBytes(StandardCharsets.UTF_8);
        out.writeShort(id.length);
        out.write(id);
        out.writeLong(startSecond[row]);
        out.writeInt(startOffsetSeconds[row]);
        out.writeByte(status[row]);
        out.writeByte(reach[row]);
        out.writeLong(versionMillis[row]);
        out.writeInt(provider[row]);
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
        startSecond[row] = in.readLong();
        startOffsetSeconds[row] = in.readInt();
        status[row] = in.readByte();
        reach[row] = in.readByte();
        versionMillis[row] = in.readLong();
        provider[row] = in.readInt();
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
        startSecond[row] = NO_START;
        status[row] = UNKNOWN;
        reach[row] = 0;
        versionMillis[row] = NO_VERSION;
        newestPosition[row] = NO_POSITION;
        pool.freeChain(olderPositions[row]);
        olderPositions[row] = -1;
    }

    private int newRow() {
        if (rowsUsed == capacity) {
            int rows = capacity * 2;
            capacity = rows;
            ids.grow(rows);
            startSecond = Arrays.copyOf(startSecond, rows);
            startOffsetSeconds = Arrays.copyOf(startOffsetSeconds, rows);
            status = Arrays.copyOf(status, rows);
            reach = Arrays.copyOf(reach, rows);
            versionMillis = Arrays.copyOf(versionMillis, rows);
            provider = Arrays.copyOf(provider, rows);
            newestPosition = Arrays.copyOf(newestPosition, rows);
            olderPositions = Arrays.copyOf(olderPositions, rows);
            work = Arrays.copyOf(work, rows);
        }
        return rowsUsed++;
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
