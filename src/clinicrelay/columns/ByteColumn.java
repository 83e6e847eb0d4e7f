package clinicrelay.columns;

import java.util.Arrays;

/** A column of {@code byte}s, one per row, grown a page at a time (see {@link Pages}). Not thread-safe. */
public final class ByteColumn implements Column {
    private final byte initial;
    private byte[][] pages = new byte[0][];
    private int pageCount;

    /** @param initial what a row holds before it is first set */
    public ByteColumn(byte initial) {
        this.initial = initial;
    }

    public byte get(int row) {
        return pages[row >>> Pages.BITS][row & Pages.MASK];
    }

    public void set(int row, byte value) {
        pages[row >>> Pages.BITS][row & Pages.MASK] = value;
    }

    @Override
    public void ensure(int rows) {
        int needed = Pages.needed(rows);
        if (needed > pages.length) {
            pages = Arrays.copyOf(pages, Math.max(needed, pages.length + (pages.length >> 1) + 1));
        }
        while (pageCount < needed) {
            byte[] page = new byte[Pages.ROWS];
            if (initial != 0) {
                Arrays.fill(page, initial);
            }
            pages[pageCount++] = page;
        }
    }
}
