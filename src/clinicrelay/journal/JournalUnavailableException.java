package clinicrelay.journal;

/**
 * An append that did not reach the disk: the write or the force failed, the append queue
 * was full, the journal is closed, or the wait ran out. The record is not stored and must
 * not be acknowledged.
 */
public final class JournalUnavailableException extends Exception {
    public JournalUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
