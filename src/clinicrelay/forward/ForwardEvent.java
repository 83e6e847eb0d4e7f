package clinicrelay.forward;

import java.time.Instant;

/**
 * One stored event as it leaves: where it is in the journal (its position, and the position
 * just past it, which a target's cursor moves to once it is accepted), what it is keyed by,
 * and the JSON body every target gets.
 */
public record ForwardEvent(long position, long next, String eventKey, String appointmentId, Instant receivedAt,
                           byte[] body) {
    /** Hex characters of the hash in a {@code webhook-id}. */
    static final int WEBHOOK_ID_HASH_CHARS = 32;

    /**
     * The {@code webhook-id}: the same for this event and target on every attempt and after
     * every restart (a receiver dedupes on it), different between targets, and free of
     * anything but hashes.
     */
    public String webhookId(ForwardTarget target) {
        return "msg_" + ForwardTarget.hash(target.id() + "/" + eventKey, WEBHOOK_ID_HASH_CHARS);
    }
}
