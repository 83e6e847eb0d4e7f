package clinicrelay.delivery;

import clinicrelay.planning.Lane;
import java.util.Arrays;

/**
 * Pending deliveries by due time, one binary heap of delivery rows per lane, so a lane
 * whose slots are all taken never hides what is due in another. The heap knows where each
 * row sits ({@code heapIndex}), so a row is moved or taken out in place: one entry per
 * pending delivery, no stale entries, 8 bytes each. Due times are read from the book's
 * column. Not thread-safe: owned by the engine's thread.
 */
final class DueQueue {
    /** Where a row sits in its lane's heap; -1 when it is not queued. */
    interface Index {
        int heapIndex(int row);

        void heapIndex(int row, int index);

        long dueAtMillis(int row);
    }

    private final Index index;
    private final int[][] heaps = new int[Lane.values().length][];
    private final int[] sizes = new int[Lane.values().length];

    DueQueue(Index index) {
        this.index = index;
        for (int lane = 0; lane < heaps.length; lane++) {
            heaps[lane] = new int[64];
        }
    }

    /** Queues the row in its lane, or moves it to its (new) due time if it is queued already. */
    void schedule(Lane lane, int row) {
        int at = index.heapIndex(row);
        if (at >= 0) {
            siftUp(lane.ordinal(), siftDown(lane.ordinal(), at));
            return;
        }
        int l = lane.ordinal();
        if (sizes[l] == heaps[l].length) {
            heaps[l] = Arrays.copyOf(heaps[l], heaps[l].length * 2);
        }
        heaps[l][sizes[l]] = row;
        index.heapIndex(row, sizes[l]);
        siftUp(l, sizes[l]++);
    }

    /** Takes the row out of its lane's queue (no longer pending); nothing when it is not queued. */
    void remove(Lane lane, int row) {
        int at = index.heapIndex(row);
        if (at < 0) {
            return;
        }
        int l = lane.ordinal();
        int last = --sizes[l];
        index.heapIndex(row, -1);
        if (at != last) {
            heaps[l][at] = heaps[l][last];
            index.heapIndex(heaps[l][at], at);
            siftUp(l, siftDown(l, at));
        }
    }

    /** The row of this lane due first, if due at or before {@code nowMillis}, taken off the queue; -1 when none. */
    int takeDue(Lane lane, long nowMillis) {
        int l = lane.ordinal();
        if (sizes[l] == 0 || index.dueAtMillis(heaps[l][0]) > nowMillis) {
            return -1;
        }
        int row = heaps[l][0];
        remove(lane, row);
        return row;
    }

    /** When this lane's first row is due (epoch millis), or {@link Long#MAX_VALUE} when none is queued. */
    long nextDueMillis(Lane lane) {
        int l = lane.ordinal();
        return sizes[l] == 0 ? Long.MAX_VALUE : index.dueAtMillis(heaps[l][0]);
    }

    /** Rows queued in all lanes: one per pending delivery (an invariant). */
    int size() {
        int total = 0;
        for (int size : sizes) {
            total += size;
        }
        return total;
    }

    private void siftUp(int l, int at) {
        int[] heap = heaps[l];
        int row = heap[at];
        long due = index.dueAtMillis(row);
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (index.dueAtMillis(heap[parent]) <= due) {
                break;
            }
            heap[at] = heap[parent];
            index.heapIndex(heap[at], at);
            at = parent;
        }
        heap[at] = row;
        index.heapIndex(row, at);
    }

    /** @return where the row ended up */
    private int siftDown(int l, int at) {
        int[] heap = heaps[l];
        int size = sizes[l];
        int row = heap[at];
        long due = index.dueAtMillis(row);
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && index.dueAtMillis(heap[child + 1]) < index.dueAtMillis(heap[child])) {
                child++;
            }
            if (index.dueAtMillis(heap[child]) >= due) {
                break;
            }
            heap[at] = heap[child];
            index.heapIndex(heap[at], at);
            at = child;
        }
        heap[at] = row;
        index.heapIndex(row, at);
        return at;
    }
}
