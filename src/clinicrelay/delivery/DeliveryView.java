package clinicrelay.delivery;

import clinicrelay.planning.DeliveryKind;
import java.time.Instant;

/**
 * One delivery as the operator view and tests see it: ids, state and times, the
 * recipient masked ({@code +1•••••••0123}), never the text.
 *
 * @param providerMessageId the provider's id for the sent message (a Twilio SID), or null
 */
public record DeliveryView(String id, String appointmentId, DeliveryKind kind, DeliveryState state, int attempts,
                           String lastError, Instant dueAt, String providerMessageId, String maskedRecipient) {

    static DeliveryView of(Delivery delivery, String recipient, String lastError, String providerMessageId) {
        return new DeliveryView(delivery.id(), delivery.appointmentId(), delivery.kind(), delivery.state(), delivery.attempts(),
                lastError, delivery.dueAt(), providerMessageId, Masking.recipient(recipient));
    }
}
