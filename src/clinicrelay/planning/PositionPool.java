package clinicrelay.planning;

import java.util.Arrays;

/**
 * Short chains of journal positions in two shared columns (12 bytes a link), for the few
 * appointments whose details came in more than one event: most have one, kept in the
 * table's own column, and cost nothing here. Freed links are reused. Not thread-safe.
 */
final class PositionPool {
    private static final int INITIAL_LINKS = 1 << 8;

    private long[] position = new long[INITIAL_LINKS];
    /** The next (older) link, or -1; for a free link, the next free one. */
    private int[] next = new int[INITIAL_LINKS];
    private int freeHead = -1;
    private int linksUsed;

    /**
     * Puts {@code value} in front of the chain at {@code head}, keeping at most
     * {@code lengthMax} links (the oldest fall off).
     *
     * @return the chain's new head
     */
    int push(int head, long value, int lengthMax) {
        int link = allocate();
        position[link] = value;
        next[link] = head;
        int last = link;
        for (int kept = 1; kept < lengthMax && next[last] >= 0; kept++) {
            last = next[last];
        }
        freeChain(next[last]);
        next[last] = -1;
        return link;
    }

    /** The chain's positions, head first. */
    long[] chain(int head) {
        int length = 0;
        for (int link = head; link >= 0; link = next[link]) {
            length++;
        }
        long[] values = new long[length];
        int i = 0;
        for (int link = head; link >= 0; link = next[link]) {
            values[i++] = position[link];
        }
        return values;
    }

    /** Frees every link of the chain at {@code head} (-1: nothing). */
    void freeChain(int head) {
        int link = head;
        while (link >= 0) {
            int following = next[link];
            next[link] = freeHead;
            freeHead = link;
            link = following;
        }
    }

    private int allocate() {
        if (freeHead >= 0) {
            int link = freeHead;
            freeHead = next[link];
            return link;
        }
        if (linksUsed == position.length) {
            int links = position.length + (position.length >> 1);
            position = Arrays.copyOf(position, links);
            next = Arrays.copyOf(next, links);
        }
        return linksUsed++;
    }
}
