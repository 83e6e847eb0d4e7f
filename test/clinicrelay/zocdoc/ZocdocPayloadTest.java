package clinicrelay.zocdoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.json.Json;
import clinicrelay.signature.HeaderLookup;
import clinicrelay.testing.Fixtures;
import clinicrelay.zocdoc.ZocdocPayload;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZocdocPayloadTest {
    private static final HeaderLookup NO_HEADERS = name -> null;

    private static AppointmentEvent normalise(String json) throws Exception {
        return normalise(json, NO_HEADERS);
    }

    private static AppointmentEvent normalise(String json, HeaderLookup headers) throws Exception {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        return ZocdocPayload.normalise(Json.parseObject(raw), raw, headers);
    }

    @Test
    void thinEventTakesItsIdFromAppointmentTimestampAndType() throws Exception {
        byte[] raw = Fixtures.thinEvent("d04b049a", "2026-11-27T09:59:58Z", "updated");
        AppointmentEvent event = ZocdocPayload.normalise(Json.parseObject(raw), raw, NO_HEADERS);
        assertEquals("d04b049a|2026-11-27T09:59:58Z|updated", event.eventId());
        assertEquals("zocdoc:d04b049a|2026-11-27T09:59:58Z|updated", event.journalKey());
        assertEquals(EventType.UPDATED, event.type());
        assertEquals(EventShape.THIN, event.shape());
        assertEquals("d04b049a", event.appointmentId());
        assertEquals(List.of("appointment.start_time"), event.changedAttributes());
        assertNull(event.patient());
    }

    @Test
    void thinUpdateTypesMapToEventTypes() throws Exception {
        Map<String, EventType> expected = Map.of("created", EventType.CREATED, "updated", EventType.UPDATED,
                "cancelled", EventType.CANCELLED, "arrived", EventType.CHECKED_IN, "no_show", EventType.NO_SHOW,
                "something_new", EventType.UNKNOWN);
        for (Map.Entry<String, EventType> entry : expected.entrySet()) {
            byte[] raw = Fixtures.thinEvent("a", "t", entry.getKey());
            assertEquals(entry.getValue(), ZocdocPayload.normalise(Json.parseObject(raw), raw, NO_HEADERS).type(), entry.getKey());
        }
    }

    @Test
    void incompleteThinEventFallsBackToTheBodyHash() throws Exception {
        AppointmentEvent event = normalise("{\"event_type\":\"appointment_updated\",\"data\":{\"appointment_data\":{\"appointment_id\":\"a\"}}}");
        assertTrue(event.eventId().startsWith("sha256:"), event.eventId());
        assertEquals(List.of("thin_event_incomplete"), event.problems());
        assertEquals(EventType.UNKNOWN, event.type());
    }

    @Test
    void fullEventIsNormalisedWithPatientInE164() throws Exception {
        AppointmentEvent event = normalise(Fixtures.fullEvent("evt-1", "appointment.created", "appt-1"));
        assertEquals("evt-1", event.eventId());
        assertEquals(EventType.CREATED, event.type());
        assertEquals("appt-1", event.appointmentId());
        assertEquals(OffsetDateTime.parse(Fixtures.START_TIME), event.startTime());
        assertEquals("pr_1", event.providerId());
        assertEquals("Dr. Jane Smith", event.providerName());
        assertEquals("lo_1", event.locationId());
        assertEquals("Elm Street Clinic", event.locationName());
        assertEquals(Fixtures.FIRST_NAME, event.patient().firstName());
        assertEquals(Fixtures.PHONE_E164, event.patient().phone());
        assertEquals(Fixtures.EMAIL, event.patient().email());
        assertEquals(Boolean.TRUE, event.patient().smsConsent());
        assertTrue(event.problems().isEmpty());
    }

    @Test
    void fullEventAcceptsEveryDocumentedAlias() throws Exception {
        AppointmentEvent event = normalise("{\"id\":\"evt-9\",\"type\":\"appointment.canceled\",\"data\":{"
                + "\"appointment_id\":42,\"datetime\":\"2026-12-01T09:00:00Z\",\"provider_id\":\"p\",\"provider_name\":\"Dr. P\","
                + "\"location_id\":\"l\",\"location_name\":\"L\","
                + "\"patient\":{\"first_name\":\"A\",\"phone_number\":\"6175550199\",\"email_address\":\"a@b.example\","
                + "\"sms_consent\":false}}}");
        assertEquals("evt-9", event.eventId());
        assertEquals(EventType.CANCELLED, event.type());
        assertEquals("42", event.appointmentId());
        assertEquals(OffsetDateTime.parse("2026-12-01T09:00:00Z"), event.startTime());
        assertEquals("Dr. P", event.providerName());
        assertEquals("+16175550199", event.patient().phone());
        assertEquals("a@b.example", event.patient().email());
        assertEquals(Boolean.FALSE, event.patient().smsConsent());
        assertNull(event.patient().emailConsent());
    }

    @Test
    void eventIdComesFromHeadersThenTheBodyHash() throws Exception {
        String body = "{\"event_type\":\"appointment.rescheduled\",\"appointment\":{\"id\":\"a\",\"start\":\"2026-12-01T09:00:00+01:00\"}}";
        AppointmentEvent fromHeader = normalise(body, name -> name.equals("X-Zocdoc-Event-Id") ? "hdr-1" : null);
        assertEquals("hdr-1", fromHeader.eventId());
        AppointmentEvent fromOtherHeader = normalise(body, name -> name.equals("webhook-id") ? "msg-1" : null);
        assertEquals("msg-1", fromOtherHeader.eventId());
        AppointmentEvent hashed = normalise(body);
        assertEquals(hashed.journalKey(), fromHeader.journalKey(), "unsigned headers must not change what counts as a duplicate");
        assertEquals(hashed.journalKey(), fromOtherHeader.journalKey());
        assertTrue(hashed.eventId().startsWith("sha256:"));
        assertEquals(hashed.eventId(), normalise(body).eventId(), "the same body always gets the same id");
        assertEquals(EventType.UPDATED, hashed.type());
    }

    @Test
    void unusableFieldsAreDroppedAndNamedWithoutTheirValue() throws Exception {
        AppointmentEvent event = normalise("{\"event_id\":\"e\",\"event_type\":\"appointment.created\",\"appointment\":{"
                + "\"id\":\"a\",\"start_time\":\"next Tuesday\",\"patient\":{\"phone\":\"555-0199\",\"email\":\"not an email\"}}}");
        assertNull(event.startTime());
        assertNull(event.patient().phone());
        assertNull(event.patient().email());
        assertEquals(List.of("start_time_unparsable", "phone_unusable", "email_unusable"), event.problems());
    }

    @Test
    void overlongIdsAreReplacedByTheirHash() throws Exception {
        String longId = "e".repeat(ZocdocPayload.EVENT_ID_CHARS_MAX + 1);
        AppointmentEvent event = normalise("{\"event_id\":\"" + longId + "\",\"event_type\":\"appointment.created\"}");
        assertTrue(event.eventId().startsWith("sha256:"));
        String maxId = "e".repeat(ZocdocPayload.EVENT_ID_CHARS_MAX);
        assertEquals(maxId, normalise("{\"event_id\":\"" + maxId + "\"}").eventId());
    }

    @Test
    void flatPayloadDoesNotMistakeTheEventIdForTheAppointmentId() throws Exception {
        AppointmentEvent event = normalise("{\"id\":\"evt-flat\",\"type\":\"appointment.created\",\"appointment_id\":\"appt-flat\"}");
        assertEquals("evt-flat", event.eventId());
        assertEquals("appt-flat", event.appointmentId());
    }
}
