package clinicrelay.planning;

import java.time.Instant;

/**
 * One message the planner decided on. Its id is derived from what it is about, so
 * planning the same events again (a replay after a restart) yields the same ids and
 * nothing is planned twice.
 *
 * @param dueAt     when to send (quiet hours already applied)
 * @param notAfter  the appointment's start: past it the message is pointless and is not sent
 * @param startTime the appointment start the message speaks of (epoch second), part of the id
 */
public record PlannedDelivery(String id, String appointmentId, DeliveryKind kind, Instant dueAt, Instant notAfter,
                              long startTime) {

    /**
     * {@code appointment|kind|start|label}: the label is the offset for a reminder (the same
     * reminder for the same start whatever moved it there) and the causing event's tag for
     * a notice (each booking or cancellation gets its own).
     */
    static String idOf(String appointmentId, DeliveryKind kind, long startEpochSecond, String label) {
        return appointmentId + "|" + kind.wireName() + "|" + startEpochSecond + "|" + label;
    }
}
