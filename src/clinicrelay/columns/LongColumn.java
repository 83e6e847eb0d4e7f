package clinicrelay.columns;

import java.util.Arrays;

/** A column of {@code long}s, one per row, grown a page at a time (see {@link Pages}). Not thread-safe. */
public final class LongColumn implements Column {
    private final long initial;
    private long[][] pages = new long[0][];
    private int pageCount;

    /** @param initial what a row holds before it is first set */
    public LongColumn(long initial) {
        this.initial = initial;
    }

    public long get(int row) {
        return pages[row >>> Pages.BITS][row & Pages.MASK];
    }

    public void set(int row, long value) {
        pages[row >>> Pages.BITS][row & Pages.MASK] = value;
    }

    @Override
    public void ensure(int rows) {
        int needed = Pages.needed(rows);
        if (needed > pages.length) {
            pages = Arrays.copyOf(pages, Math.max(needed, pages.length + (pages.length >> 1) + 1));
        }
        while (pageCount < needed) {
            long[] page = new long[Pages.ROWS];
            if (initial != 0) {
                Arrays.fill(page, initial);
            }
            pages[pageCount++] = page;
        }
    }
}
