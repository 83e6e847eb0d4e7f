package clinicrelay.zocdoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.json.JsonObject;
import clinicrelay.zocdoc.ZocdocApiDetails;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** What the partner API says about an appointment, as the event a full webhook would make. */
class ZocdocApiDetailsTest {
    private static final Instant NOW = Instant.parse("2026-11-27T15:00:00Z");

    private static JsonObject appointment(String status, String created) {
        return new JsonObject().put("appointment_id", "ap-1").put("appointment_status", status)
                .put("start_time", "2026-12-01T15:30:00-05:00").put("created_time_utc", created)
                .put("last_modified_time_utc", "2026-11-27T14:59:00Z").put("provider_location_id", "pr_7|lo_9")
                .put("location_phone_number", "6175550100").put("location_phone_extension", "12")
                .put("visit_type", "zocdoc_video_service").put("waiting_room_path", "/wr/abc123")
                .put("notes", "private note");
    }

    private static final JsonObject PARTICIPANTS = new JsonObject().put("provider_id", "pr_7").put("location_id", "lo_9")
            .put("patient", new JsonObject().put("first_name", "Ana").put("last_name", "Lee").put("date_of_birth", "1980-01-01")
                    .put("phone_number", "6175550199").put("email_address", "ana@example.com"));

    private static AppointmentEvent details(JsonObject appointment, JsonObject participants) {
        return ZocdocApiDetails.normalise("ap-1", appointment, participants, "Dr. Jane Smith",
                "{}".getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void anAppointmentAndItsParticipantsBecomeAFullEventWithOneIdPerVersion() {
        AppointmentEvent event = details(appointment("confirmed", "2026-11-27T14:58:00Z"), PARTICIPANTS);
        assertEquals("zocdoc-api:ap-1|2026-11-27T14:59:00Z", event.journalKey());
        assertEquals(EventShape.FULL, event.shape());
        assertEquals(OffsetDateTime.parse("2026-12-01T15:30:00-05:00"), event.startTime());
        assertEquals("pr_7", event.providerId());
        assertEquals("Dr. Jane Smith", event.providerName());
        assertEquals("lo_9", event.locationId());
        assertEquals("(617) 555-0100 ext. 12", event.locationPhone());
        assertEquals("https://www.zocdoc.com/wr/abc123", event.videoLink());
        assertEquals("+16175550199", event.patient().phone(), "10 digits become E.164");
        assertEquals("ana@example.com", event.patient().email());
        assertNull(event.patient().smsConsent(), "the API says nothing of consent");
    }

    @Test
    void theApiStatusDecidesTheType() {
        assertEquals(EventType.CREATED, details(appointment("confirmed", "2026-11-27T10:00:00Z"), PARTICIPANTS).type(),
                "booked today: a new booking, confirmed");
        assertEquals(EventType.UPDATED, details(appointment("confirmed", "2026-11-20 10:00:00"), PARTICIPANTS).type(),
                "booked a week ago: reminders only");
        assertEquals(EventType.UPDATED, details(appointment("rescheduled", "2026-11-20T10:00:00Z"), PARTICIPANTS).type());
        assertEquals(EventType.CANCELLED, details(appointment("cancelled", "2026-11-27T10:00:00Z"), PARTICIPANTS).type());
        assertEquals(EventType.NO_SHOW, details(appointment("no_show", "2026-11-27T10:00:00Z"), PARTICIPANTS).type());
        assertEquals(EventType.UNKNOWN, details(appointment("pending_booking", "2026-11-27T10:00:00Z"), PARTICIPANTS).type(),
                "nothing settled yet: the outcome's webhook fetches again");
        assertEquals(EventType.UNKNOWN, details(appointment("booking_failed", "2026-11-27T10:00:00Z"), PARTICIPANTS).type());
    }

    @Test
    void withoutParticipantsTheProviderComesFromTheProviderLocationAndThereIsNoPatient() {
        AppointmentEvent event = details(appointment("confirmed", "2026-11-27T10:00:00Z"), null);
        assertEquals("pr_7", event.providerId());
        assertEquals("lo_9", event.locationId());
        assertNull(event.patient());
    }

    @Test
    void onlyTheFieldsMessagesUseAreKept() {
        JsonObject participants = new JsonObject().put("provider_id", "pr_7").put("patient", new JsonObject()
                .put("first_name", "Ana").put("phone_number", "6175550199")
                .put("insurance", new JsonObject().put("insurance_member_id", "MEMBER-99887766"))
                .put("patient_address", new JsonObject().put("address1", "1 Secret Lane")).put("sex_at_birth", "female"));
        String kept = new String(ZocdocApiDetails.minimumNecessary(appointment("confirmed", "2026-11-27T10:00:00Z")
                .put("visit_reason_id", "pc_migraine"), participants), StandardCharsets.UTF_8);
        for (String dropped : new String[] {"private note", "MEMBER-99887766", "Secret Lane", "female", "pc_migraine"}) {
            assertEquals(-1, kept.indexOf(dropped), "kept although unused: " + dropped + " in " + kept);
        }
        assertEquals(true, kept.contains("\"first_name\":\"Ana\"") && kept.contains("6175550199"), kept);
    }
}
