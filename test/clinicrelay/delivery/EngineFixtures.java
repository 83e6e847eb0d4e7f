package clinicrelay.delivery;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.twilio.TwilioSms;
import java.net.http.HttpClient;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;

/** The appointment, patient and clock the engine tests share, and the events they store. */
final class EngineFixtures {
    /** Tue Dec 1 2026, 15:30 in New York. */
    static final OffsetDateTime START = OffsetDateTime.parse("2026-12-01T15:30:00-05:00");
    static final Instant BOOKED_AT = Instant.parse("2026-11-27T15:00:00Z");
    static final String PHONE = "+16175550199";
    /** Consents to texts; no e-mail address. */
    static final Patient ANA = new Patient("Ana", "Lee", PHONE, null, null, true, null);

    private static final AtomicInteger EVENTS = new AtomicInteger();

    private EngineFixtures() {
    }

    /** A full-shape event with a fresh id. */
    static AppointmentEvent event(EventType type, String appointment, OffsetDateTime start, Patient patient) {
        String id = "fixture-" + EVENTS.incrementAndGet();
        return AppointmentEvent.builder("zocdoc", EventShape.FULL, type).eventId(id).appointmentId(appointment).startTime(start)
                .provider("pr_1", "Dr. Jane Smith").location("lo_1", "12 Elm Street", "(617) 555-0100").patient(patient).build();
    }

    /** The production Twilio client, pointed at a local fake. */
    static TwilioSms twilioClient(FakeTwilio twilio) {
        return new TwilioSms(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), twilio.base(),
                FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN, "+15005550006", null, null);
    }
}
