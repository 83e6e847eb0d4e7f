package clinicrelay.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.QuietHours;
import clinicrelay.config.ReminderOffsets;
import clinicrelay.config.SmsConsent;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.PlannedDelivery;
import clinicrelay.planning.Planner;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The planner's decisions, one behaviour (README "What happens to an appointment") per test, with fixed times (no clock). */
class PlannerTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** Tue Dec 1 2026, 15:30 in New York. */
    private static final OffsetDateTime START = OffsetDateTime.parse("2026-12-01T15:30:00-05:00");
    private static final Instant BOOKED_AT = Instant.parse("2026-11-27T15:00:00Z");
    private static final Patient CONSENTING = new Patient("Ana", "Lee", "+16175550199", "ana@example.com", null, true, true);

    private final Appointments appointments = new Appointments();
    private final List<PlannedDelivery> pending = new ArrayList<>();

    private static Planner planner(String offsets, String quiet, SmsConsent consent) {
        return new Planner(new Planner.Settings(ReminderOffsets.parse(offsets), QuietHours.parse(quiet), consent, NEW_YORK));
    }

    private static AppointmentEvent thin(String id, EventType type, String rawType, String updatedAt) {
        return AppointmentEvent.builder("zocdoc", EventShape.THIN, type).eventId(id).rawType(rawType).appointmentId("appt-1")
                .updatedAt(updatedAt).build();
    }

    private static AppointmentEvent event(EventType type, OffsetDateTime start, Patient patient) {
        return AppointmentEvent.builder("zocdoc", EventShape.FULL, type).eventId("e-" + type + start).appointmentId("appt-1")
                .startTime(start).provider("pr_1", "Dr. Jane Smith").location("lo_1", "Elm Street", null).patient(patient).build();
    }

    /** Folds the event in and plans, keeping the pending list as the engine would. */
    private Planner.Plan apply(Planner planner, AppointmentEvent event, Instant now) {
        Appointments.Change change = appointments.apply(event, now);
        List<Planner.Pending> open = pending.stream().map(d -> new Planner.Pending(d.id(), d.kind())).collect(Collectors.toList());
        Planner.Plan plan = planner.plan(change, event.type(), now, event.eventId(), open);
        pending.removeIf(d -> plan.cancel().contains(d.id()));
        pending.addAll(plan.create());
        return plan;
    }

    private static List<String> kinds(List<PlannedDelivery> deliveries) {
        return deliveries.stream().map(d -> d.kind().wireName() + "@" + d.dueAt()).collect(Collectors.toList());
    }

    @Test
    void createdPlansConfirmationEmailAndOneReminderPerOffsetStillAhead() {
        Planner planner = planner("72h,24h,2h", "off", SmsConsent.REQUIRED);
        Planner.Plan plan = apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT);
        assertEquals(List.of(
                "confirmation_sms@" + BOOKED_AT,
                "confirmation_email@" + BOOKED_AT,
                "reminder_sms@2026-11-28T20:30:00Z",
                "reminder_sms@2026-11-30T20:30:00Z",
                "reminder_sms@2026-12-01T18:30:00Z"), kinds(plan.create()));
        Planner.Plan late = planner.plan(new Appointments().apply(event(EventType.CREATED, START, CONSENTING), BOOKED_AT),
                EventType.CREATED, Instant.parse("2026-11-30T12:00:00Z"), "evt", List.of());
        assertEquals(4, late.create().size(), "booked 3 days ahead: confirmation, email, 24h and 2h, but no 72h");
        assertTrue(late.create().stream().noneMatch(d -> d.id().endsWith("|72h")));
    }

    @Test
    void shortOffsetsAreAccepted() {
        Planner planner = planner("30m,45s", "off", SmsConsent.REQUIRED);
        Planner.Plan plan = apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT);
        assertTrue(plan.create().stream().anyMatch(d -> d.id().endsWith("|30m") && d.dueAt().equals(START.toInstant().minusSeconds(1800))));
        assertTrue(plan.create().stream().anyMatch(d -> d.id().endsWith("|45s") && d.dueAt().equals(START.toInstant().minusSeconds(45))));
    }

    @Test
    void idsAreDeterministicSoReplayingPlansTheSame() {
        Planner planner = planner("24h", "21:00-08:00", SmsConsent.REQUIRED);
        List<String> first = apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT).create()
                .stream().map(PlannedDelivery::id).collect(Collectors.toList());
        AppointmentEvent created = event(EventType.CREATED, START, CONSENTING);
        List<String> again = planner.plan(new Appointments().apply(created, BOOKED_AT),
                EventType.CREATED, BOOKED_AT, created.eventId(), List.of()).create().stream().map(PlannedDelivery::id).collect(Collectors.toList());
        assertEquals(first, again);
        assertEquals("appt-1|reminder_sms|" + START.toEpochSecond() + "|24h", first.get(2));
    }

    @Test
    void cancellationCancelsEverythingPendingAndSendsANoticeByTextAndEmail() {
        Planner planner = planner("24h,2h", "off", SmsConsent.REQUIRED);
        apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT);
        List<String> before = pending.stream().map(PlannedDelivery::id).collect(Collectors.toList());
        Planner.Plan plan = apply(planner, event(EventType.CANCELLED, null, null), BOOKED_AT.plusSeconds(3600));
        assertEquals(before, plan.cancel());
        assertEquals(List.of("cancellation_sms@" + BOOKED_AT.plusSeconds(3600), "cancellation_email@" + BOOKED_AT.plusSeconds(3600)),
                kinds(plan.create()));
        assertTrue(apply(planner, event(EventType.CANCELLED, null, null), BOOKED_AT.plusSeconds(7200)).create().isEmpty(),
                "a second cancellation sends nothing more");
    }

    @Test
    void aMovedStartReplansAndSendsARescheduledNoticeButOtherUpdatesSendNothing() {
        Planner planner = planner("24h", "off", SmsConsent.REQUIRED);
        apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT);
        Planner.Plan same = apply(planner, event(EventType.UPDATED, START, CONSENTING), BOOKED_AT.plusSeconds(60));
        assertTrue(same.isEmpty(), "an update that does not move the start sends nothing");
        OffsetDateTime later = START.plusDays(1);
        List<String> old = pending.stream().map(PlannedDelivery::id).collect(Collectors.toList());
        Planner.Plan moved = apply(planner, event(EventType.UPDATED, later, null), BOOKED_AT.plusSeconds(120));
        assertEquals(old, moved.cancel());
        assertEquals(List.of("rescheduled_sms@" + BOOKED_AT.plusSeconds(120), "reminder_sms@" + later.toInstant().minus(Duration.ofHours(24))),
                kinds(moved.create()));
    }

    @Test
    void quietHoursDelayConfirmationsAndMoveRemindersEarlier() {
        Planner planner = planner("2h", "21:00-08:00", SmsConsent.REQUIRED);
        OffsetDateTime earlyMorning = OffsetDateTime.parse("2026-12-01T09:30:00-05:00");
        Instant lateEvening = Instant.parse("2026-11-28T03:15:00Z"); // 22:15 in New York
        Planner.Plan plan = apply(planner, event(EventType.CREATED, earlyMorning, CONSENTING), lateEvening);
        assertEquals(List.of(
                "confirmation_sms@2026-11-28T13:00:00Z",   // 08:00 New York, when the window ends
                "confirmation_email@" + lateEvening,      // email is not held by quiet hours
                "reminder_sms@2026-12-01T01:59:00Z"),     // 07:30 is quiet: 20:59 the evening before
                kinds(plan.create()));
    }

    @Test
    void consentRulesDecideWhoGetsTextsAndEmails() {
        Patient silent = new Patient("Ana", null, "+16175550199", "ana@example.com", null, null, null);
        Planner required = planner("24h", "off", SmsConsent.REQUIRED);
        Planner.Plan noConsent = required.plan(new Appointments().apply(event(EventType.CREATED, START, silent), BOOKED_AT),
                EventType.CREATED, BOOKED_AT, "evt", List.of());
        assertEquals(List.of("confirmation_email@" + BOOKED_AT), kinds(noConsent.create()));
        Planner assumed = planner("24h", "off", SmsConsent.ASSUMED);
        assertEquals(3, assumed.plan(new Appointments().apply(event(EventType.CREATED, START, silent), BOOKED_AT),
                EventType.CREATED, BOOKED_AT, "evt", List.of()).create().size());
        Patient refused = new Patient("Ana", null, "+16175550199", "ana@example.com", null, false, false);
        assertTrue(assumed.plan(new Appointments().apply(event(EventType.CREATED, START, refused), BOOKED_AT),
                EventType.CREATED, BOOKED_AT, "evt", List.of()).create().isEmpty(), "explicit refusals win over assumed consent");
        Patient noPhone = new Patient("Ana", null, null, null, null, true, true);
        assertTrue(assumed.plan(new Appointments().apply(event(EventType.CREATED, START, noPhone), BOOKED_AT),
                EventType.CREATED, BOOKED_AT, "evt", List.of()).create().isEmpty());
    }

    @Test
    void nothingIsPlannedForAnAppointmentAlreadyStartedOrWithoutAStart() {
        Planner planner = planner("24h", "off", SmsConsent.REQUIRED);
        assertTrue(planner.plan(new Appointments().apply(event(EventType.CREATED, START, CONSENTING), BOOKED_AT), EventType.CREATED,
                START.toInstant().plusSeconds(1), "evt", List.of()).isEmpty());
        assertTrue(planner.plan(new Appointments().apply(event(EventType.CREATED, null, CONSENTING), BOOKED_AT), EventType.CREATED,
                BOOKED_AT, "evt", List.of()).isEmpty());
    }

    @Test
    void anAppointmentFirstSeenThroughAnUpdateGetsRemindersButNoConfirmation() {
        Planner planner = planner("24h", "off", SmsConsent.REQUIRED);
        Planner.Plan plan = apply(planner, event(EventType.UPDATED, START, CONSENTING), BOOKED_AT);
        assertEquals(List.of("reminder_sms@" + START.toInstant().minus(Duration.ofHours(24))), kinds(plan.create()));
    }

    @Test
    void checkInCancelsRemindersOnly() {
        Planner planner = planner("24h,2h", "off", SmsConsent.REQUIRED);
        apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT);
        Planner.Plan arrived = apply(planner, event(EventType.CHECKED_IN, null, null), START.toInstant().minusSeconds(3 * 3600));
        assertEquals(2, arrived.cancel().size());
        assertTrue(arrived.create().isEmpty());
    }

    @Test
    void eachBookingOrCancellationGetsItsOwnNoticeButRemindersKeepTheirNames() {
        Planner planner = planner("24h", "off", SmsConsent.REQUIRED);
        List<PlannedDelivery> first = apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT).create();
        apply(planner, event(EventType.CANCELLED, null, null), BOOKED_AT.plusSeconds(60));
        AppointmentEvent rebooked = AppointmentEvent.builder("zocdoc", EventShape.FULL, EventType.CREATED).eventId("e-rebook")
                .rawType("created").appointmentId("appt-1").startTime(START).provider("pr_1", "Dr. Jane Smith")
                .location("lo_1", "Elm Street", null).patient(CONSENTING).build();
        List<PlannedDelivery> second = apply(planner, rebooked, BOOKED_AT.plusSeconds(120)).create();
        assertEquals(first.size(), second.size(), "the rebooking is confirmed again and gets its reminder again");
        assertNotEquals(first.get(0).id(), second.get(0).id(), "a new confirmation, not the sent one");
        assertEquals(first.get(2).id(), second.get(2).id(), "the same reminder for the same time (revived, not doubled)");
        assertEquals(second.get(0).id(), planner.plan(new Appointments().apply(rebooked, BOOKED_AT), EventType.CREATED,
                BOOKED_AT.plusSeconds(120), "e-rebook", List.of()).create().get(0).id(), "the same event names the same notice");
    }

    @Test
    void createdAgainForABookedAppointmentAtAnotherTimeIsAReschedule() {
        Planner planner = planner("24h", "off", SmsConsent.REQUIRED);
        apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT);
        Planner.Plan again = apply(planner, event(EventType.CREATED, START.plusDays(1), CONSENTING), BOOKED_AT.plusSeconds(60));
        assertEquals(List.of("rescheduled_sms@" + BOOKED_AT.plusSeconds(60),
                "reminder_sms@" + START.plusDays(1).toInstant().minus(Duration.ofHours(24))), kinds(again.create()));
        assertEquals(3, again.cancel().size(), "everything still pending for the old time");
    }

    @Test
    void aThinEventPlansOneFetchOnlyWhenTheApiIsConfiguredAndNotForArrivals() {
        AppointmentEvent thin = thin("t-1", EventType.UPDATED, "appointment_updated/updated", "2026-11-27T15:00:00Z");
        Planner withApi = new Planner(new Planner.Settings(ReminderOffsets.parse("24h"), QuietHours.OFF, SmsConsent.ASSUMED,
                NEW_YORK, true));
        Planner.Plan fetch = withApi.planFetch(thin, BOOKED_AT, "zocdoc:t-1");
        assertEquals(List.of("fetch_details@" + BOOKED_AT), kinds(fetch.create()));
        assertEquals(fetch.create(), withApi.planFetch(thin, BOOKED_AT, "zocdoc:t-1").create(), "the same event, the same step");
        assertTrue(planner("24h", "off", SmsConsent.ASSUMED).planFetch(thin, BOOKED_AT, "zocdoc:t-1").isEmpty(),
                "no credentials: nothing to fetch with");
        AppointmentEvent arrived = thin("t-2", EventType.CHECKED_IN, "appointment_updated/arrived", "2026-11-27T15:00:00Z");
        assertTrue(withApi.planFetch(arrived, BOOKED_AT, "zocdoc:t-2").isEmpty(), "arrived only withdraws reminders");
    }

    @Test
    void aThinArrivalWithdrawsTheRemindersOfAKnownAppointment() {
        Planner planner = planner("24h,2h", "off", SmsConsent.REQUIRED);
        apply(planner, event(EventType.CREATED, START, CONSENTING), BOOKED_AT);
        AppointmentEvent arrived = thin("t-3", EventType.CHECKED_IN, "appointment_updated/arrived", "2026-12-01T20:00:00Z");
        assertEquals(2, apply(planner, arrived, START.toInstant().minusSeconds(3 * 3600)).cancel().size());
        AppointmentEvent thinUpdate = thin("t-4", EventType.UPDATED, "appointment_updated/updated", "2026-12-01T20:00:00Z");
        assertNull(appointments.apply(thinUpdate, BOOKED_AT), "a thin update changes nothing until its details come");
    }
}
