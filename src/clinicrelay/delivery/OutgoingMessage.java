package clinicrelay.delivery;

import clinicrelay.planning.Channel;

/**
 * A rendered message ready for a channel. Recipient and text are patient data: they go
 * to the provider and into the journal's patient-data part, never to a log.
 *
 * @param subject email only, else null
 */
public record OutgoingMessage(String deliveryId, int attempt, Channel channel, String to, String subject, String body) {
    /** The same message under a later attempt number (a check of whether it went out). */
    OutgoingMessage asAttempt(int number) {
        return new OutgoingMessage(deliveryId, number, channel, to, subject, body);
    }
}
