package clinicrelay.delivery;

import clinicrelay.journal.JournalPosition;

/**
 * Where a delivery's last send and last result are in the journal, for the deliveries that
 * have been tried: most rows are reminders not yet due, which would otherwise carry two
 * empty positions each. An open-addressing map from row to two positions (linear probing,
 * deletion by backward shift), at most half full: 24–48 bytes per delivery tried, none for
 * the others. Not thread-safe: owned by the engine's thread.
 */
final class AttemptPositions {
    private static final int INITIAL_SLOTS = 1 << 8;

    /** Row + 1 per slot; 0 for an empty slot. */
    private int[] keys = new int[INITIAL_SLOTS];
    /** Slot i's send position at 2i, its result position at 2i + 1. */
    private long[] positions = new long[2 * INITIAL_SLOTS];
    private int size;

    long send(int row) {
        int slot = slotOf(row);
        return keys[slot] == 0 ? JournalPosition.NONE : positions[2 * slot];
    }

    long result(int row) {
        int slot = slotOf(row);
        return keys[slot] == 0 ? JournalPosition.NONE : positions[2 * slot + 1];
    }

    void send(int row, long position) {
        put(row, position, 0);
    }

    void result(int row, long position) {
        put(row, position, 1);
    }

    /** Forgets the row's positions (it is freed). */
    void remove(int row) {
        int mask = keys.length - 1;
        int slot = slotOf(row);
        if (keys[slot] == 0) {
            return;
        }
        keys[slot] = 0;
        size--;
        for (int next = (slot + 1) & mask; keys[next] != 0; next = (next + 1) & mask) {
            int home = hash(keys[next] - 1) & mask;
            // move it back when its home is not inside the (cyclic) range (slot, next]
            boolean between = slot <= next ? home > slot && home <= next : home > slot || home <= next;
            if (!between) {
                keys[slot] = keys[next];
                positions[2 * slot] = positions[2 * next];
                positions[2 * slot + 1] = positions[2 * next + 1];
                keys[next] = 0;
                slot = next;
            }
        }
    }

    /** The oldest position held, or {@link Long#MAX_VALUE}. */
    long oldest() {
        long oldest = Long.MAX_VALUE;
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != 0) {
                for (long position : new long[] {positions[2 * slot], positions[2 * slot + 1]}) {
                    if (position != JournalPosition.NONE) {
                        oldest = Math.min(oldest, position);
                    }
                }
            }
        }
        return oldest;
    }

    int size() {
        return size;
    }

    private void put(int row, long position, int which) {
        int slot = slotOf(row);
        if (keys[slot] == 0) {
            if (position == JournalPosition.NONE) {
                return;
            }
            if ((size + 1) * 2 > keys.length) {
                resize(keys.length * 2);
                slot = slotOf(row);
            }
            keys[slot] = row + 1;
            positions[2 * slot] = JournalPosition.NONE;
            positions[2 * slot + 1] = JournalPosition.NONE;
            size++;
        }
        positions[2 * slot + which] = position;
    }

    /** The slot holding the row, or the empty slot where it belongs. */
    private int slotOf(int row) {
        int mask = keys.length - 1;
        int slot = hash(row) & mask;
        while (keys[slot] != 0 && keys[slot] != row + 1) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void resize(int slots) {
        int[] oldKeys = keys;
        long[] oldPositions = positions;
        keys = new int[slots];
        positions = new long[2 * slots];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slotOf(oldKeys[i] - 1);
                keys[slot] = oldKeys[i];
                positions[2 * slot] = oldPositions[2 * i];
                positions[2 * slot + 1] = oldPositions[2 * i + 1];
            }
        }
    }

    private static int hash(int row) {
        int h = row * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
