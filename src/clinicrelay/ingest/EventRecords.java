package clinicrelay.ingest;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.Patient;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.RecordType;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

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
        JsonObject publicPart = new JsonObject()
                .put("source", event.source())
                .put("event_id", event.eventId())
                .put("shape", event.shape())
                .put("type", event.type().wireName())
                .put("raw_type", event.rawType())
                .putIfNotNull("appointment_id", event.appointmentId())
                .putIfNotNull("updated_at", event.updatedAt())
                .putIfNotNull("start_time", event.startTime() == null ? null : event.startTime().toString())
                .putIfNotNull("provider_id", event.providerId())
                .putIfNotNull("provider_name", event.providerName())
                .putIfNotNull("location_id", event.locationId())
                .putIfNotNull("location_name", event.locationName())
                .put("received_at", receivedAt.toString())
                .put("signature", signatureScheme);
        if (!event.changedAttributes().isEmpty()) {
            publicPart.put("changed_attributes", array(event.changedAttributes()));
        }
        if (!event.problems().isEmpty()) {
            publicPart.put("problems", array(event.problems()));
        }
        JsonObject phi = new JsonObject();
        if (event.patient() != null && !event.patient().isEmpty()) {
            phi.put("patient", patient(event.patient()));
        }
        phi.put("body", new String(rawBody, StandardCharsets.UTF_8));
        return new JournalRecord(RecordType.EVENT_RECEIVED, event.journalKey(), publicPart, phi);
    }

    private static JsonObject patient(Patient patient) {
        return new JsonObject()
                .putIfNotNull("first_name", patient.firstName())
                .putIfNotNull("last_name", patient.lastName())
                .putIfNotNull("phone", patient.phone())
                .putIfNotNull("email", patient.email())
                .putIfNotNull("date_of_birth", patient.dateOfBirth())
                .putIfNotNull("sms_consent", patient.smsConsent())
                .putIfNotNull("email_consent", patient.emailConsent());
    }

    private static JsonArray array(Iterable<String> values) {
        JsonArray array = new JsonArray();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }
}
