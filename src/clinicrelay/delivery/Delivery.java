package clinicrelay.delivery;

import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.Lane;
import java.time.Instant;

/**
 * One delivery's live state, folded from its journal records. Mutable, and only ever
 * touched by the delivery engine's thread; its state changes only through
 * {@link DeliveryBook}, which checks every move. Small on purpose: the engine keeps one per
 * message for every appointment ahead, and holds no patient data (recipient and text are
 * read from the appointment when an attempt starts).
 */
final class Delivery {
    final String id;
    final String appointmentId;
    final DeliveryKind kind;
    /** The appointment's start: past it the message is pointless (a step: the end of its window). */
    final Instant notAfter;
    Instant dueAt;
    /** Which due-queue entry is this delivery's current one; older entries are stale. */
    int queueTicket;
    DeliveryState state = DeliveryState.PENDING;
    int attempts;
    /**
     * Since when the provider may hold this message: the start of the last send whose
     * outcome is unknown. Reconciliation lists the provider's messages from then on.
     */
    Instant sentSince;
    /** The last send's outcome is unknown: the next attempt asks the provider before sending again. */
    boolean verify;
    /** A provider status that arrived before the send's own result was recorded (applied once it is). */
    DeliveryState earlyStatus;
    /** The provider's id for the sent message (a Twilio SID, a SendGrid message id), once known. */
    String providerMessageId;
    String lastError;

    Delivery(String id, String appointmentId, DeliveryKind kind, Instant dueAt, Instant notAfter) {
        this.id = id;
        this.appointmentId = appointmentId;
        this.kind = kind;
        this.dueAt = dueAt;
        this.notAfter = notAfter;
    }

    Lane lane() {
        return kind.lane();
    }
}
