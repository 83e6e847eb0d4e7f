package clinicrelay.delivery;

import clinicrelay.planning.PlannedDelivery;
import java.time.Instant;

/** A way to send: Twilio, SendGrid, or the dry-run outbox. Called from a channel's worker threads. */
public interface MessageChannel {
    /** Sends one message. Never throws for provider trouble: that is a {@link AttemptResult}. */
    AttemptResult send(OutgoingMessage message) throws InterruptedException;

    /**
     * After a crash or an unknown outcome: did a send that started at {@code attemptStarted}
     * reach the provider?
     *
     * @param claimed provider ids already recorded for other messages of the same
     *                appointment: an identical earlier text (a confirmation before a
     *                rebooking, say) is not this one
     * @return the provider's message id when it did, null when it did not
     * @throws ReconcileException when the provider cannot tell now (then nothing is resent yet)
     */
    String findSent(OutgoingMessage message, Instant attemptStarted, java.util.Set<String> claimed)
            throws ReconcileException, InterruptedException;

    /** The provider's name for records and logs: twilio, sendgrid, outbox. */
    String name();

    /** Told of each delivery planned for this channel (after it is on disk); real providers need not know. */
    default void planned(PlannedDelivery delivery) {
    }

    /** A reconciliation that could not be done now. */
    final class ReconcileException extends Exception {
        public ReconcileException(String reason) {
            super(reason, null, false, false);
        }
    }
}
