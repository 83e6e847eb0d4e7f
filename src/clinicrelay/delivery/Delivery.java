package clinicrelay.delivery;

import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.Lane;
import java.time.Instant;

/**
 * One delivery as the engine reads it at one moment: a snapshot of a row of the
 * {@link DeliveryBook}, made when asked for (the book keeps only columns of numbers). It
 * holds no patient data: what was sent is read back from the journal at
 * {@link #sendPosition}, why it failed and the provider's id at {@link #resultPosition}.
 *
 * @param row            the book's row, valid while the delivery stays in the book
 * @param notAfter       the appointment's start: past it the message is pointless (a step: the end of its window)
 * @param verify         the last send's outcome is unknown: the next attempt looks for it first
 * @param sendPosition   the last attempt that sent (not a check), or {@code JournalPosition.NONE}
 * @param resultPosition the last result with an error or a provider id, or {@code JournalPosition.NONE}
 * @param retryRequested the operator asked for a retry since the last result
 */
record Delivery(int row, String id, String appointmentId, DeliveryKind kind, Instant notAfter, Instant dueAt,
                DeliveryState state, int attempts, boolean verify, long sendPosition, long resultPosition,
                boolean retryRequested) {

    Lane lane() {
        return kind.lane();
    }
}
