package clinicrelay.journal;

/** How the patient-data part of a record is stored, by its one-byte code on disk. */
public enum PhiMode {
    /** The record carries no patient data. */
    NONE(0),
    /** UTF-8 JSON in clear, written when no PHI_ENCRYPTION_KEY is configured. */
    PLAIN(1),
    /** AES-256-GCM sealed under PHI_ENCRYPTION_KEY itself (records written before data keys), see {@link PhiCipher}. */
    SEALED(2),
    /** Removed by retention; ids, types and times remain. */
    SCRUBBED(3),
    /** AES-256-GCM sealed under a period's data key ({@link DataKeys}): {@code period:i32} then the sealed form. */
    SEALED_DATA_KEY(4);

    private final int code;

    PhiMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static PhiMode fromCode(int code) {
        for (PhiMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        return null;
    }
}
