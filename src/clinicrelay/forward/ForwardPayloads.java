package clinicrelay.forward;

import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;

/**
 * Builds the body that leaves for every target from a stored event, in the Standard
 * Webhooks payload shape ({@code type}, {@code timestamp}, {@code data}): the normalised
 * fields the planner works from — ids, type, times, provider and location — and, only when
 * FORWARD_INCLUDE_PHI is on, the patient and the video link. The raw body as received
 * never leaves: it is kept for audit, not for onward systems.
 */
final class ForwardPayloads {
    /** The public fields copied into {@code data}, in this order; none of them is patient data. */
    static final List<String> PUBLIC_FIELDS = List.of("event_id", "source", "shape", "appointment_id", "updated_at",
            "start_time", "provider_id", "provider_name", "location_id", "location_name", "location_phone", "received_at");
    /** The patient's fields, sent only with FORWARD_INCLUDE_PHI=true. */
    static final List<String> PATIENT_FIELDS = List.of("first_name", "last_name", "phone", "email", "date_of_birth");

    private final RecordCodec codec;
    private final boolean includePhi;

    ForwardPayloads(RecordCodec codec, boolean includePhi) {
        this.codec = codec;
        this.includePhi = includePhi;
    }

    /**
     * The event of an EVENT_RECEIVED record, or null for any other record.
     *
     * @param next the position just past the record
     */
    ForwardEvent from(StoredRecord record, long next) throws JsonException, GeneralSecurityException {
        if (record.type() != RecordType.EVENT_RECEIVED) {
            return null;
        }
        JsonObject pub = record.publicPart();
        JsonBuilder body = new JsonBuilder().beginObject()
                .member("type", pub.string("type"))
                .member("timestamp", pub.string("received_at"))
                .beginObject("data");
        for (String field : PUBLIC_FIELDS) {
            body.member(field, pub.string(field));
        }
        body.member("event_type", pub.string("type"));
        JsonArray changed = pub.array("changed_attributes");
        if (changed != null) {
            body.beginArray("changed_attributes");
            for (Object value : changed.values()) {
                if (value instanceof String name) {
                    body.element(name);
                }
            }
            body.endArray();
        }
        if (includePhi) {
            patient(body, codec.openPhi(record));
        }
        byte[] bytes = body.endObject().endObject().toBytes();
        return new ForwardEvent(record.position(), next, record.key(), pub.string("appointment_id"),
                Instant.parse(pub.string("received_at")), bytes);
    }

    /** The patient part, when the record still has one (retention scrubs it). */
    private static void patient(JsonBuilder body, JsonObject phi) {
        JsonObject patient = phi == null ? null : phi.object("patient");
        if (patient != null) {
            body.beginObject("patient");
            for (String field : PATIENT_FIELDS) {
                body.member(field, patient.string(field));
            }
            body.member("sms_consent", patient.bool("sms_consent")).member("email_consent", patient.bool("email_consent"))
                    .endObject();
        }
        if (phi != null && phi.string("video_link") != null) {
            body.member("video_link", phi.string("video_link"));
        }
    }
}
