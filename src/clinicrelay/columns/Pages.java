package clinicrelay.columns;

/**
 * The paging shared by the columns: rows live in pages of {@link #ROWS} entries, so a
 * column grows one page at a time — no array is ever copied, no more than one page is
 * allocated ahead, and memory follows the rows in use instead of the next power of two.
 * A table that doubled its arrays would, at 200 000 appointments, hold the old and the
 * new (three times the data) for a moment: on a 96 MB heap, the moment it runs out.
 */
final class Pages {
    static final int BITS = 12;
    /** Rows per page: 4 096 (32 KB for a column of longs). */
    static final int ROWS = 1 << BITS;
    static final int MASK = ROWS - 1;

    private Pages() {
    }

    /** Pages needed for {@code rows} rows. */
    static int needed(int rows) {
        return (rows + MASK) >>> BITS;
    }
}
