package clinicrelay.journal;

/**
 * An append that did not reach the disk: the write or the force failed, the append queue
 * was full, the journal is closed, or the wait ran out — or (a subclass) the relay refused
 * to take more. The record is not stored and must not be acknowledged.
 */
public class JournalUnavailableException extends Exception {
    public JournalUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
