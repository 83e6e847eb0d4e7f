package clinicrelay.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.planning.AppointmentStatus;
import clinicrelay.planning.Appointments;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Folding events into appointments, and forgetting past ones by the events' own clock. */
class AppointmentsTest {
    private static final OffsetDateTime START = OffsetDateTime.parse("2026-12-01T15:30:00-05:00");
    private static final Patient ANA = new Patient("Ana", "Lee", "+16175550199", null, null, true, null);

    private static AppointmentEvent event(EventType type, String appointment, OffsetDateTime start, Patient patient) {
        return AppointmentEvent.builder("zocdoc", EventShape.FULL, type).eventId("e").appointmentId(appointment).startTime(start)
                .provider("pr_1", "Dr. Jane Smith").location("lo_1", "Elm Street", null).patient(patient).build();
    }

    @Test
    void laterEventsKeepWhatTheyDoNotSay() {
        Appointments appointments = new Appointments();
        appointments.apply(event(EventType.CREATED, "a", START, ANA), Instant.parse("2026-11-27T15:00:00Z"));
        Appointments.Change moved = appointments.apply(event(EventType.UPDATED, "a", START.plusDays(1), null),
                Instant.parse("2026-11-27T16:00:00Z"));
        assertTrue(moved.after().reach().phone(), "the patient's number is still known (it stays in the journal)");
        assertEquals(START.plusDays(1), moved.after().start());
        assertEquals(true, moved.startMoved());
    }

    @Test
    void anAppointmentADayPastTheLatestEventIsForgottenAndTakenAsNewWhenHeardOfAgain() {
        Appointments appointments = new Appointments();
        appointments.apply(event(EventType.CREATED, "a", START, ANA), Instant.parse("2026-11-27T15:00:00Z"));
        appointments.apply(event(EventType.CREATED, "b", START.plusDays(5), ANA), START.toInstant().plusSeconds(3600));
        assertEquals(0, appointments.forgetPast(), "an hour after its start, still kept");
        assertEquals(2, appointments.size());
        Instant dayAndMinuteLater = START.toInstant().plus(Appointments.KEPT_AFTER_START).plusSeconds(60);
        appointments.apply(event(EventType.UPDATED, "b", null, null), dayAndMinuteLater);
        assertNotNull(appointments.get("a"), "not swept yet");
        assertEquals(1, appointments.forgetPast(), "a day after its start, measured by the latest event");
        assertNull(appointments.get("a"));
        assertNotNull(appointments.get("b"));
    }

    @Test
    void aPastAppointmentNotYetSweptIsStillTakenAsNew() {
        Appointments appointments = new Appointments();
        appointments.apply(event(EventType.CREATED, "a", START, ANA), Instant.parse("2026-11-27T15:00:00Z"));
        Instant dayAndMinuteLater = START.toInstant().plus(Appointments.KEPT_AFTER_START).plusSeconds(60);
        Appointments.Change later = appointments.apply(event(EventType.UPDATED, "a", START.plusDays(7), null), dayAndMinuteLater);
        assertNull(later.before(), "treated as first heard of, exactly as after a sweep (or a replay that swept)");
        assertEquals(Reachability.NONE, later.after().reach(), "nothing of the forgotten state carries over");
    }

    @Test
    void anEventAboutThePastIsNotKept() {
        Appointments appointments = new Appointments();
        appointments.apply(event(EventType.CREATED, "old", OffsetDateTime.parse("2020-01-06T15:30:00-05:00"), ANA),
                Instant.parse("2026-11-27T15:00:00Z"));
        assertEquals(0, appointments.size());
        assertNull(appointments.get("old"));
    }

    private static AppointmentEvent fromApi(EventType type, String lastModified) {
        return AppointmentEvent.builder(AppointmentEvent.SOURCE_ZOCDOC_API, EventShape.FULL, type).eventId("ap|" + lastModified)
                .rawType("api").appointmentId("a").updatedAt(lastModified).startTime(START).provider("pr_1", null)
                .location("lo_1", null, null).patient(ANA).build();
    }

    @Test
    void detailsOfAnOlderVersionFetchedLateChangeNothing() {
        Appointments appointments = new Appointments();
        Instant now = Instant.parse("2026-11-27T15:00:00Z");
        appointments.apply(fromApi(EventType.CREATED, "2026-11-27T14:00:00Z"), now);
        assertNotNull(appointments.apply(fromApi(EventType.CANCELLED, "2026-11-27T14:05:00Z"), now));
        assertNull(appointments.apply(fromApi(EventType.CREATED, "2026-11-27T14:00:00Z"), now),
                "the fetch for the first webhook finished last: it must not rebook a cancelled appointment");
        assertNull(appointments.apply(fromApi(EventType.UPDATED, "2026-11-27 14:05:00"), now), "the same version again");
        assertEquals(AppointmentStatus.CANCELLED, appointments.get("a").status());
        assertNotNull(appointments.apply(event(EventType.UPDATED, "a", START.plusDays(1), null), now),
                "a webhook's full event has no version and applies in journal order");
    }
}
