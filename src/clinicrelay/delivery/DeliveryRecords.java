package clinicrelay.delivery;

import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.RecordType;
import clinicrelay.json.JsonBuilder;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * The journal records of the delivery engine (format: docs/journal.md). Only attempts and
 * opt-outs carry patient data (recipient, text; the opted-out number), in the record's
 * patient-data part.
 */
final class DeliveryRecords {
    private DeliveryRecords() {
    }

    static JournalRecord planned(PlannedDelivery delivery, String eventKey) {
        return publicOnly(RecordType.DELIVERY_PLANNED, delivery.id(), new JsonBuilder().beginObject()
                .member("appointment_id", delivery.appointmentId())
                .member("kind", delivery.kind().wireName())
                .member("due_at", delivery.dueAt().toString())
                .member("not_after", delivery.notAfter().toString())
                .member("event", eventKey)
                .endObject());
    }

    static JournalRecord cancelled(String deliveryId, String reason) {
        return publicOnly(RecordType.DELIVERY_CANCELLED, deliveryId, new JsonBuilder().beginObject()
                .member("reason", reason).endObject());
    }

    /** @param check the attempt only looks for an earlier send at the provider; it sends nothing */
    static JournalRecord attempt(OutgoingMessage message, Instant startedAt, String provider, boolean check) {
        JsonBuilder publicPart = new JsonBuilder().beginObject()
                .member("attempt", message.attempt());
        if (check) {
            publicPart.member("check", true);
        }
        byte[] publicBytes = publicPart
                .member("started_at", startedAt.toString())
                .member("channel", message.channel().name().toLowerCase(Locale.ROOT))
                .member("provider", provider)
                .endObject().toBytes();
        byte[] phi = new JsonBuilder().beginObject()
                .member("to", message.to())
                .member("subject", message.subject())
                .member("body", message.body())
                .endObject().toBytes();
        return new JournalRecord(RecordType.DELIVERY_ATTEMPT, message.deliveryId(), publicBytes, phi);
    }

    /**
     * @param retryAt the next attempt's time for a retry, else null
     * @param verify  the outcome is unknown: look at the provider before sending again
     */
    static JournalRecord result(String deliveryId, int attempt, DeliveryState state, String providerId, String error,
                                Instant retryAt, boolean verify) {
        JsonBuilder publicPart = new JsonBuilder().beginObject()
                .member("attempt", attempt)
                .member("state", state.wireName())
                .member("provider_id", providerId)
                .member("error", error)
                .member("retry_at", retryAt == null ? null : retryAt.toString());
        if (verify) {
            publicPart.member("verify", true);
        }
        return publicOnly(RecordType.DELIVERY_RESULT, deliveryId, publicPart.endObject());
    }

    static JournalRecord status(String deliveryId, DeliveryState status, String errorCode) {
        return publicOnly(RecordType.DELIVERY_STATUS, deliveryId, new JsonBuilder().beginObject()
                .member("state", status.wireName())
                .member("error", errorCode)
                .endObject());
    }

    static JournalRecord optedOut(String phone, String source, Instant at) {
        return new JournalRecord(RecordType.PHONE_OPTED_OUT, UUID.randomUUID().toString(),
                new JsonBuilder().beginObject().member("source", source).member("at", at.toString()).endObject().toBytes(),
                new JsonBuilder().beginObject().member("phone", phone).endObject().toBytes());
    }

    static JournalRecord optedIn(String phone, Instant at) {
        return new JournalRecord(RecordType.PHONE_OPTED_IN, UUID.randomUUID().toString(),
                new JsonBuilder().beginObject().member("at", at.toString()).endObject().toBytes(),
                new JsonBuilder().beginObject().member("phone", phone).endObject().toBytes());
    }

    static JournalRecord retryRequested(String deliveryId, Instant at) {
        return publicOnly(RecordType.DELIVERY_RETRY, deliveryId, new JsonBuilder().beginObject()
                .member("at", at.toString()).endObject());
    }

    static JournalRecord eventPlanned(String eventKey) {
        return publicOnly(RecordType.EVENT_PLANNED, eventKey, new JsonBuilder().beginObject().endObject());
    }

    private static JournalRecord publicOnly(RecordType type, String key, JsonBuilder publicPart) {
        return new JournalRecord(type, key, publicPart.toBytes(), null);
    }
}
