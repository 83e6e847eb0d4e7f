package clinicrelay.journal;

/**
 * Where a record is: its segment's sequence number in the high 32 bits, the frame's byte
 * offset in that segment in the low 32 (segments stay far below 4 GiB). What the engine
 * keeps in memory instead of a record's content, to read it back when it is needed.
 */
public final class JournalPosition {
    /** No position: nothing to read back. */
    public static final long NONE = -1;

    private JournalPosition() {
    }

    public static long of(long segmentSequence, long offset) {
        return (segmentSequence << 32) | offset;
    }

    public static long segmentSequence(long position) {
        return position >>> 32;
    }

    static long offset(long position) {
        return position & 0xFFFF_FFFFL;
    }
}
