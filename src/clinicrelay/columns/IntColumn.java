package clinicrelay.columns;

import java.util.Arrays;

/** A column of {@code int}s, one per row, grown a page at a time (see {@link Pages}). Not thread-safe. */
public final class IntColumn implements Column {
    private final int initial;
    private int[][] pages = new int[0][];
    private int pageCount;

    /** @param initial what a row holds before it is first set */
    public IntColumn(int initial) {
        this.initial = initial;
    }

    public int get(int row) {
        return pages[row >>> Pages.BITS][row & Pages.MASK];
    }

    public void set(int row, int value) {
        pages[row >>> Pages.BITS][row & Pages.MASK] = value;
    }

    @Override
    public void ensure(int rows) {
        int needed = Pages.needed(rows);
        if (needed > pages.length) {
            pages = Arrays.copyOf(pages, Math.max(needed, pages.length + (pages.length >> 1) + 1));
        }
        while (pageCount < needed) {
            int[] page = new int[Pages.ROWS];
            if (initial != 0) {
                Arrays.fill(page, initial);
            }
            pages[pageCount++] = page;
        }
    }
}
