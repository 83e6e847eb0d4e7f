package clinicrelay.cli;

import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The sample events send-test posts: the full shape (with an obviously fictional patient
 * and Twilio's magic test number) and Zocdoc's thin shape.
 */
final class SampleEvents {
    private SampleEvents() {
    }

    static JsonObject full(String eventId, String type, String appointmentId, Instant now) {
        OffsetDateTime start = now.atOffset(ZoneOffset.UTC).plusDays(2).truncatedTo(ChronoUnit.HOURS).withHour(15);
        JsonObject patient = new JsonObject()
                .put("first_name", "Test")
                .put("last_name", "Patient")
                .put("phone", "+15005550006")
                .put("email", "test.patient@example.com")
                .put("sms_consent", true)
                .put("email_consent", true);
        JsonObject appointment = new JsonObject()
                .put("id", appointmentId)
                .put("start_time", start.toString())
                .put("provider", new JsonObject().put("id", "pr_demo_1").put("name", "Dr. Ada Demo"))
                .put("location_id", "lo_demo_1")
                .put("location_name", "Main Street Clinic")
                .put("patient", patient);
        return new JsonObject()
                .put("event_id", eventId)
                .put("event_type", type)
                .put("created_at", now.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("appointment", appointment);
    }

    static JsonObject thin(String type, String appointmentId, Instant now) {
        String stamp = now.truncatedTo(ChronoUnit.MILLIS).toString();
        JsonArray changed = new JsonArray();
        if ("updated".equals(thinUpdateType(type))) {
            changed.add(new JsonObject().put("attribute_path", "appointment.start_time"));
        }
        JsonObject appointmentData = new JsonObject()
                .put("appointment_id", appointmentId)
                .put("appointment_updated_timestamp", stamp)
                .put("appointment_update_type", thinUpdateType(type))
                .put("changed_attributes", changed);
        return new JsonObject()
                .put("event_type", "appointment_updated")
                .put("webhook_timestamp", stamp)
                .put("data", new JsonObject().put("data_type", "appointment_data").put("appointment_data", appointmentData));
    }

    /** Zocdoc's update type for one of our event type names (or a Zocdoc name given as is). */
    static String thinUpdateType(String type) {
        switch (type.toLowerCase(Locale.ROOT)) {
            case "appointment.created": return "created";
            case "appointment.updated":
            case "appointment.rescheduled": return "updated";
            case "appointment.cancelled":
            case "appointment.canceled": return "cancelled";
            case "appointment.checked_in": return "arrived";
            case "appointment.no_show": return "no_show";
            default: return type;
        }
    }
}
