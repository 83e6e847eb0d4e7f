package clinicrelay.delivery;

import java.time.Instant;

/**
 * A delivery's next state, decided after an attempt or by the send gate, exactly as its
 * result record journals it.
 *
 * @param providerMessageId the provider's id for a sent message, else null
 * @param error             why it was not sent (yet), else null
 * @param retryAt           when a pending delivery is due again, else null
 * @param verify            the last send's outcome is unknown: the next attempt looks for it first
 */
record Outcome(DeliveryState state, String providerMessageId, String error, Instant retryAt, boolean verify) {

    static Outcome sent(String providerMessageId) {
        return new Outcome(DeliveryState.SENT, providerMessageId, null, null, false);
    }

    /** Pending again, due at {@code retryAt}; with {@code verify} the next attempt first looks for this one. */
    static Outcome retry(String reason, Instant retryAt, boolean verify) {
        return new Outcome(DeliveryState.PENDING, null, reason, retryAt, verify);
    }

    /** Settled without being sent: failed, dead, skipped or expired. */
    static Outcome ended(DeliveryState state, String reason) {
        if (state.isPending() || state == DeliveryState.ATTEMPTING || state == DeliveryState.SENT) {
            throw new IllegalArgumentException(state + " is not an end without a send");
        }
        return new Outcome(state, null, reason, null, false);
    }
}
