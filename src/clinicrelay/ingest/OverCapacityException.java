package clinicrelay.ingest;

import clinicrelay.journal.JournalUnavailableException;

/** A new event refused because the relay is at its capacity: not stored, answered like a storage failure. */
public final class OverCapacityException extends JournalUnavailableException {
    public OverCapacityException(String reason) {
        super("over capacity: " + reason, null);
    }
}
