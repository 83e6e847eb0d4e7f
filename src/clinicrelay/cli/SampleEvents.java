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

    /** When a sample visit starts unless told: two days ahead, 15:00 UTC. */
    static OffsetDateTime defaultStart(Instant now) {
        return now.atOffset(ZoneOffset.UTC).plusDays(2).truncatedTo(ChronoUnit.HOURS).withHour(15);
    }

    /**
     * When the visit starts, from send-test's {@code --start}: {@code +26h}, {@code +90m},
     * {@code +3d} from now (a reminder due soon, with no arithmetic), or a date-time with its
     * offset ({@code 2026-12-03T15:00-05:00}), or a local one read in {@code zone}.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    static OffsetDateTime start(String value, Instant now, java.time.ZoneId zone) {
        java.util.regex.Matcher relative = java.util.regex.Pattern.compile("\\+(\\d{1,4})([mhd])").matcher(value);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            java.time.Duration ahead = switch (relative.group(2)) {
                case "m" -> java.time.Duration.ofMinutes(amount);
                case "h" -> java.time.Duration.ofHours(amount);
                default -> java.time.Duration.ofDays(amount);
            };
            return now.plus(ahead).atZone(zone).toOffsetDateTime().truncatedTo(ChronoUnit.MINUTES);
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (java.time.format.DateTimeParseException noOffset) {
            try {
                return java.time.LocalDateTime.parse(value).atZone(zone).toOffsetDateTime();
            } catch (java.time.format.DateTimeParseException unusable) {
                throw new IllegalArgumentException("--start " + value + ": give +26h, +90m or +3d (from now), or a date-time"
                        + " such as 2026-12-03T15:00 (in CLINIC_TIMEZONE, else UTC) or 2026-12-03T15:00-05:00");
            }
        }
    }

    static JsonObject full(String eventId, String type, String appointmentId, Instant now, OffsetDateTime start) {
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
