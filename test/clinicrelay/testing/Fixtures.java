package clinicrelay.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Webhook bodies full of distinctive patient data. Every value in {@link #PHI} is unusual
 * enough that finding it in a log or a file can only mean it leaked.
 */
public final class Fixtures {
    public static final String FIRST_NAME = "Xanthippe";
    public static final String LAST_NAME = "Vorstenbosch-Quillfeather";
    public static final String PHONE_RAW = "(617) 555-0199";
    public static final String PHONE_E164 = "+16175550199";
    public static final String PHONE_DIGITS = "6175550199";
    public static final String EMAIL = "xanthippe.vq@phi-fixture.example";
    public static final String DATE_OF_BIRTH = "1971-03-14";
    public static final String VISIT_REASON = "recurring migraine with aura";
    public static final String INSURANCE = "Acme Mutual member 99887766";
    /** Every distinctive PHI string; none may appear in any log line. */
    public static final List<String> PHI = List.of(FIRST_NAME, LAST_NAME, PHONE_RAW, PHONE_E164, PHONE_DIGITS,
            "555-0199", EMAIL, "phi-fixture", DATE_OF_BIRTH, VISIT_REASON, "migraine", INSURANCE, "99887766");

    private Fixtures() {
    }

    /**
     * Ten days from when the tests run, 15:30 at UTC-5: always ahead, so every created
     * appointment gets its confirmation and reminders planned, whatever the date.
     */
    public static final String START_TIME = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(-5))
            .plusDays(10).withHour(15).withMinute(30).withSecond(0).withNano(0).toString();

    public static String fullEvent(String eventId, String type, String appointmentId) {
        return fullEvent(eventId, type, appointmentId, START_TIME);
    }

    /** A full event for an appointment starting at {@code startTime} (in the past: nothing to plan). */
    public static String fullEvent(String eventId, String type, String appointmentId, String startTime) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\",\"created_at\":\"2026-11-27T10:00:00Z\","
                + "\"appointment\":{\"id\":\"" + appointmentId + "\",\"start_time\":\"" + startTime + "\","
                + "\"provider\":{\"id\":\"pr_1\",\"name\":\"Dr. Jane Smith\"},\"location_id\":\"lo_1\","
                + "\"location_name\":\"Elm Street Clinic\",\"visit_reason\":\"" + VISIT_REASON + "\","
                + "\"insurance\":\"" + INSURANCE + "\","
                + "\"patient\":{\"first_name\":\"" + FIRST_NAME + "\",\"last_name\":\"" + LAST_NAME + "\","
                + "\"phone\":\"" + PHONE_RAW + "\",\"email\":\"" + EMAIL + "\",\"date_of_birth\":\"" + DATE_OF_BIRTH + "\","
                + "\"sms_consent\":true,\"email_consent\":true}}}";
    }

    public static byte[] fullEventBytes(String eventId, String type, String appointmentId) {
        return fullEvent(eventId, type, appointmentId).getBytes(StandardCharsets.UTF_8);
    }

    /** An event about an appointment long past: stored, but nothing is planned or sent for it. */
    public static byte[] pastEventBytes(String eventId, String type, String appointmentId) {
        return fullEvent(eventId, type, appointmentId, "2020-01-06T10:00:00-05:00").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] thinEvent(String appointmentId, String updatedAt, String updateType) {
        return ("{\"event_type\":\"appointment_updated\",\"webhook_timestamp\":\"" + updatedAt + "\","
                + "\"data\":{\"data_type\":\"appointment_data\",\"appointment_data\":{\"appointment_id\":\""
                + appointmentId + "\",\"appointment_updated_timestamp\":\"" + updatedAt + "\","
                + "\"appointment_update_type\":\"" + updateType + "\","
                + "\"changed_attributes\":[{\"attribute_path\":\"appointment.start_time\"}]}}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
