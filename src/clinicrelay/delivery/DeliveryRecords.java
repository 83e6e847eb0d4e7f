package clinicrelay.delivery;

import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.KeyPeriods;
import clinicrelay.journal.RecordType;
import clinicrelay.json.JsonBuilder;
import clinicrelay.planning.Lane;
import clinicrelay.planning.PlannedDelivery;
import java.time.Instant;
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

    /**
     * An attempt to send a message, or (with {@code check}) to look for one at the
     * provider; the recipient and text go in the patient-data part.
     */
    /** @param visitAt the appointment's start: the text is sealed under that week's data key */
    static JournalRecord attempt(OutgoingMessage message, Instant visitAt, Instant startedAt, String provider, boolean check) {
        return attempt(message.deliveryId(), message.attempt(), message.channel().lane(), startedAt, provider, check,
                new JsonBuilder().beginObject()
                        .member("to", message.to())
                        .member("subject", message.subject())
                        .member("body", message.body())
                        .endObject().toBytes(), KeyPeriods.forVisit(visitAt, startedAt));
    }

    /** An attempt of a step; its patient-data part holds only the appointment id it is about (no text). */
    static JournalRecord stepAttempt(String deliveryId, int attempt, Lane lane, String appointmentId, Instant startedAt,
                                     String provider) {
        return attempt(deliveryId, attempt, lane, startedAt, provider, false,
                new JsonBuilder().beginObject().member("to", appointmentId).endObject().toBytes(), KeyPeriods.NONE);
    }

    private static JournalRecord attempt(String deliveryId, int attempt, Lane lane, Instant startedAt, String provider,
                                         boolean check, byte[] phi, int keyPeriod) {
        JsonBuilder publicPart = new JsonBuilder().beginObject()
                .member("attempt", attempt);
        if (check) {
            publicPart.member("check", true);
        }
        byte[] publicBytes = publicPart
                .member("started_at", startedAt.toString())
                .member("channel", lane.wireName())
                .member("provider", provider)
                .endObject().toBytes();
        return new JournalRecord(RecordType.DELIVERY_ATTEMPT, deliveryId, publicBytes, phi, keyPeriod);
    }

    /** How an attempt ended, or the send gate's verdict; {@code attempt} is the number of the last attempt. */
    static JournalRecord result(String deliveryId, int attempt, Outcome outcome) {
        JsonBuilder publicPart = new JsonBuilder().beginObject()
                .member("attempt", attempt)
                .member("state", outcome.state().wireName())
                .member("provider_id", outcome.providerMessageId())
                .member("error", outcome.error())
                .member("retry_at", outcome.retryAt() == null ? null : outcome.retryAt().toString());
        if (outcome.verify()) {
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
                new JsonBuilder().beginObject().member("phone", phone).endObject().toBytes(), KeyPeriods.CONSENT);
    }

    static JournalRecord optedIn(String phone, Instant at) {
        return new JournalRecord(RecordType.PHONE_OPTED_IN, UUID.randomUUID().toString(),
                new JsonBuilder().beginObject().member("at", at.toString()).endObject().toBytes(),
                new JsonBuilder().beginObject().member("phone", phone).endObject().toBytes(), KeyPeriods.CONSENT);
    }

    static JournalRecord retryRequested(String deliveryId, Instant at) {
        return publicOnly(RecordType.DELIVERY_RETRY, deliveryId, new JsonBuilder().beginObject()
                .member("at", at.toString()).endObject());
    }

    static JournalRecord appointmentConfirmed(String appointmentId, Instant visitAt, Instant at) {
        return publicOnly(RecordType.APPOINTMENT_CONFIRMED, appointmentId, new JsonBuilder().beginObject()
                .member("via", "sms_reply").member("visit_at", visitAt.toString()).member("at", at.toString()).endObject());
    }

    static JournalRecord eventPlanned(String eventKey) {
        return publicOnly(RecordType.EVENT_PLANNED, eventKey, new JsonBuilder().beginObject().endObject());
    }

    private static JournalRecord publicOnly(RecordType type, String key, JsonBuilder publicPart) {
        return new JournalRecord(type, key, publicPart.toBytes(), null);
    }
}
