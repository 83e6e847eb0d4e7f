package clinicrelay.columns;

/** A column of a table: one value per row, grown a page at a time (see {@link Pages}). */
public interface Column {
    /** Makes rows {@code 0 .. rows-1} usable, adding the pages they need (and no more). */
    void ensure(int rows);
}
