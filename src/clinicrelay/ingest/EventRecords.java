package clinicrelay.ingest;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.event.Timestamps;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.KeyPeriods;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays an accepted event out as a journal record, keeping patient data apart:
 *
 * <ul>
 *   <li>public part — ids, types, times, provider and location, problems: what analytics,
 *   planning and the operator need, kept after retention;</li>
 *   <li>patient-data part — the normalised patient and the raw body exactly as signed
 *   (so a later version can re-normalise, and an audit can show what arrived), encrypted
 *   with PHI_ENCRYPTION_KEY and scrubbed at retention.</li>
 * </ul>
 */
public final class EventRecords {
    private EventRecords() {
    }

    public static JournalRecord toRecord(AppointmentEvent event, byte[] rawBody, String signatureScheme, Instant receivedAt) {
        JsonBuilder publicPart = new JsonBuilder().beginObject()
                .member("source", event.source())
                .member("event_id", event.eventId())
                .member("shape", event.shape().wireName())
                .member("type", event.type().wireName())
                .member("raw_type", event.rawType())
                .member("appointment_id", event.appointmentId())
                .member("updated_at", event.updatedAt())
                .member("start_time", event.startTime() == null ? null : event.startTime().toString())
                .member("provider_id", event.providerId())
                .member("provider_name", event.providerName())
                .member("location_id", event.locationId())
                .member("location_name", event.locationName())
                .member("location_phone", event.locationPhone())
                .member("received_at", receivedAt.toString())
                .member("signature", signatureScheme);
        array(publicPart, "changed_attributes", event.changedAttributes());
        array(publicPart, "problems", event.problems());
        JsonBuilder phi = new JsonBuilder().beginObject();
        Patient patient = event.patient();
        if (patient != null && !patient.isEmpty()) {
            phi.beginObject("patient")
                    .member("first_name", patient.firstName())
                    .member("last_name", patient.lastName())
                    .member("phone", patient.phone())
                    .member("email", patient.email())
                    .member("date_of_birth", patient.dateOfBirth())
                    .member("sms_consent", patient.smsConsent())
                    .member("email_consent", patient.emailConsent())
                    .endObject();
        }
        phi.member("video_link", event.videoLink());
        phi.member("body", new String(rawBody, StandardCharsets.UTF_8));
        return new JournalRecord(RecordType.EVENT_RECEIVED, event.journalKey(),
                publicPart.endObject().toBytes(), phi.endObject().toBytes(),
                KeyPeriods.forVisit(event.startTime() == null ? null : event.startTime().toInstant(), receivedAt));
    }

    /** An event read back from the journal, with the time it was received (the planning time). */
    public record StoredEvent(AppointmentEvent event, Instant receivedAt) {
    }

    /**
     * Rebuilds the event of an EVENT_RECEIVED record, patient included (decrypted with the
     * codec's key). Records whose patient data was scrubbed come back without a patient.
     */
    public static StoredEvent fromRecord(StoredRecord record, RecordCodec codec) throws JsonException, GeneralSecurityException {
        JsonObject pub = record.publicPart();
        JsonObject phi = codec.openPhi(record);
        String source = pub.string("source");
        String key = record.key();
        String idempotencyKey = key.startsWith(source + ":") ? key.substring(source.length() + 1) : key;
        String start = pub.string("start_time");
        JsonObject patient = phi == null ? null : phi.object("patient");
        AppointmentEvent event = AppointmentEvent.builder(source, EventShape.fromWireName(pub.string("shape")),
                        EventType.fromWireName(pub.string("type")))
                .eventId(pub.string("event_id"))
                .idempotencyKey(idempotencyKey)
                .rawType(pub.string("raw_type"))
                .appointmentId(pub.string("appointment_id"))
                .updatedAt(pub.string("updated_at"))
                .startTime(start == null ? null : Timestamps.parseOffsetDateTime(start))
                .provider(pub.string("provider_id"), pub.string("provider_name"))
                .location(pub.string("location_id"), pub.string("location_name"), pub.string("location_phone"))
                .videoLink(phi == null ? null : phi.string("video_link"))
                .changedAttributes(strings(pub.array("changed_attributes")))
                .patient(patient == null ? null : new Patient(patient.string("first_name"), patient.string("last_name"),
                        patient.string("phone"), patient.string("email"), patient.string("date_of_birth"),
                        patient.bool("sms_consent"), patient.bool("email_consent")))
                .problems(strings(pub.array("problems")))
                .build();
        return new StoredEvent(event, Instant.parse(pub.string("received_at")));
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            for (Object value : array.values()) {
                if (value instanceof String text) {
                    values.add(text);
                }
            }
        }
        return values;
    }

    private static void array(JsonBuilder builder, String name, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        builder.beginArray(name);
        for (String value : values) {
            builder.element(value);
        }
        builder.endArray();
    }
}
