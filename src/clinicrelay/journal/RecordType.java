package clinicrelay.journal;

/**
 * The kinds of journal records, by their one-byte code on disk.
 *
 * <p>Codes are never reused or renumbered: a journal outlives the version that wrote it.
 * A reader skips codes it does not know, so a downgrade does not stop start-up.
 */
public enum RecordType {
    /** A verified, normalised inbound event (webhook or API sweep). Key: the event id. */
    EVENT_RECEIVED(1);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code, or null for a code this version does not know. */
    public static RecordType fromCode(int code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
