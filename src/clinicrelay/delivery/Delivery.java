package clinicrelay.delivery;

import java.time.Instant;

/**
 * One message's live state, folded from its journal records. Mutable, and only ever
 * touched by the delivery engine's thread. Small on purpose: the engine keeps one per
 * message for every appointment ahead, and holds no patient data (recipient and text are
 * read from the appointment when an attempt starts).
 */
final class Delivery {
    final String id;
    final String appointmentId;
    final DeliveryKind kind;
    final Instant notAfter;
    Instant dueAt;
    DeliveryState state = DeliveryState.PENDING;
    int attempts;
    /** When the current attempt started, for reconciliation after a crash. */
    Instant attemptStartedAt;
    String providerId;
    String lastError;

    Delivery(String id, String appointmentId, DeliveryKind kind, Instant dueAt, Instant notAfter) {
        this.id = id;
        this.appointmentId = appointmentId;
        this.kind = kind;
        this.dueAt = dueAt;
        this.notAfter = notAfter;
    }
}
