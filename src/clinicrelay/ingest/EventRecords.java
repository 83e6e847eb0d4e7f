package clinicrelay.ingest;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.Patient;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.RecordType;
import clinicrelay.json.JsonBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
                .member("shape", event.shape())
                .member("type", event.type().wireName())
                .member("raw_type", event.rawType())
                .member("appointment_id", event.appointmentId())
                .member("updated_at", event.updatedAt())
                .member("start_time", event.startTime() == null ? null : event.startTime().toString())
                .member("provider_id", event.providerId())
                .member("provider_name", event.providerName())
                .member("location_id", event.locationId())
                .member("location_name", event.locationName())
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
        phi.member("body", new String(rawBody, StandardCharsets.UTF_8));
        return new JournalRecord(RecordType.EVENT_RECEIVED, event.journalKey(),
                publicPart.endObject().toBytes(), phi.endObject().toBytes());
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
