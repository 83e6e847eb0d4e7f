package clinicrelay.delivery;

import static clinicrelay.delivery.EngineFixtures.BOOKED_AT;
import static clinicrelay.delivery.EngineFixtures.PHONE;
import static clinicrelay.delivery.EngineFixtures.START;
import static clinicrelay.delivery.EngineFixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.planning.Appointments;
import clinicrelay.testing.Await;
import clinicrelay.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What happens to an appointment, end to end through the engine, its journal and scripted providers. */
class DeliveryEngineTest extends EngineTestCase {
    /** Consents to texts and e-mail, and has an address: both confirmations go out. */
    private static final Patient ANA = new Patient("Ana", "Lee", PHONE, "ana@example.com", null, true, true);


    @Test
    void createdSendsBothConfirmationsAtOnceAndEachReminderAtItsTime() throws Exception {
        start("24h,2h", "off");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        assertEquals(List.of("confirmation_sms"), harness.sms.kindsReceived());
        assertEquals(List.of("confirmation_email"), harness.email.kindsReceived());
        OutgoingMessage confirmation = harness.sms.received().get(0);
        assertEquals(PHONE, confirmation.to());
        assertEquals("Elm Street Clinic: Hi Ana, your appointment with Dr. Jane Smith is confirmed for Tue, Dec 1 at 3:30 PM.\n"
                + "Location: 12 Elm Street\nQuestions? Call (617) 555-0100.\nReply STOP to opt out.", confirmation.body());
        assertEquals(0, harness.engine.reads.rememberedCount(), "sent from memory, then no patient data kept once idle");

        harness.advanceTo(START.toInstant().minus(Duration.ofHours(24)).minusSeconds(1));
        assertEquals(1, harness.sms.received().size(), "not before its time");
        harness.advanceTo(START.toInstant().minus(Duration.ofHours(24)));
        assertEquals(List.of("confirmation_sms", "reminder_sms:24h"), harness.sms.kindsReceived());
        harness.advanceTo(START.toInstant().minus(Duration.ofHours(2)));
        assertEquals(List.of("confirmation_sms", "reminder_sms:24h", "reminder_sms:2h"), harness.sms.kindsReceived());
        assertTrue(harness.states().values().stream().allMatch(state -> state == DeliveryState.SENT), harness.states().toString());
    }

    @Test
    void cancellationCancelsPendingRemindersAndSendsANotice() throws Exception {
        start("24h,2h", "off");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.store(event(EventType.CANCELLED, "appt-1", null, null));
        harness.advanceTo(START.toInstant().minusSeconds(60));
        assertEquals(List.of("confirmation_sms", "cancellation_sms"), harness.sms.kindsReceived());
        assertEquals(DeliveryState.CANCELLED, harness.view("24h").state());
        assertEquals(DeliveryState.CANCELLED, harness.view("2h").state());
        assertTrue(harness.sms.received().get(1).body().contains("is cancelled"));
    }

    @Test
    void aMovedStartGetsANoticeAndRemindersForTheNewTimeOnly() throws Exception {
        start("24h", "off");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        OffsetDateTime later = START.plusDays(2);
        harness.store(event(EventType.UPDATED, "appt-1", later, null));
        harness.store(event(EventType.UPDATED, "appt-1", later, null));
        assertEquals(List.of("confirmation_sms", "rescheduled_sms"), harness.sms.kindsReceived(),
                "the second update does not move the start: nothing more");
        assertTrue(harness.sms.received().get(1).body().contains("has moved to Thu, Dec 3 at 3:30 PM"));
        harness.advanceTo(later.toInstant().minusSeconds(60));
        assertEquals(List.of("confirmation_sms", "rescheduled_sms", "reminder_sms:24h"), harness.sms.kindsReceived());
        assertTrue(harness.sms.received().get(2).body().contains("Thu, Dec 3 at 3:30 PM"));
    }

    @Test
    void aReminderMissedWhileDownGoesOutAtStartOnlyIfTheAppointmentIsAhead() throws Exception {
        start("24h", "off");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.store(event(EventType.CREATED, "appt-2", START.plusHours(1), new Patient("Bo", null, "+16175550123", null, null, true, null)));
        harness.closeQuietly();
        harness.clock.set(START.toInstant().plusSeconds(30 * 60)); // appt-1 has started, appt-2 (an hour later) has not
        harness.restart();
        assertEquals(DeliveryState.EXPIRED, harness.view("appt-1|reminder_sms|" + START.toEpochSecond() + "|24h").state());
        assertEquals(DeliveryState.SENT, harness.view("appt-2|reminder_sms|" + START.plusHours(1).toEpochSecond() + "|24h").state());
        assertEquals(1, harness.sms.kindsReceived().stream().filter(kind -> kind.startsWith("reminder")).count());
    }

    @Test
    void quietHoursHoldConfirmationsUntilTheirEnd() throws Exception {
        start("2h", "21:00-08:00");
        Instant lateEvening = Instant.parse("2026-11-28T03:15:00Z"); // 22:15 in New York
        harness.advanceTo(lateEvening);
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        assertEquals(List.of(), harness.sms.kindsReceived());
        assertEquals(List.of("confirmation_email"), harness.email.kindsReceived(), "quiet hours are for texts");
        harness.advanceTo(Instant.parse("2026-11-28T12:59:00Z"));
        assertEquals(List.of(), harness.sms.kindsReceived());
        harness.advanceTo(Instant.parse("2026-11-28T13:00:00Z")); // 08:00
        assertEquals(List.of("confirmation_sms"), harness.sms.kindsReceived());
    }

    @Test
    void optedOutNumbersGetNoTextsUntilTheyOptBackIn() throws Exception {
        start("24h,2h", "off");
        harness.engine.optOut(PHONE, "inbound").get();
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        assertEquals(List.of(), harness.sms.kindsReceived());
        assertEquals(DeliveryState.SKIPPED, harness.view("confirmation_sms|" + START.toEpochSecond()).state(), harness.log.text());
        harness.engine.optIn(PHONE).get();
        harness.restart(); // opt-outs and opt-ins are in the journal
        harness.advanceTo(START.toInstant().minus(Duration.ofHours(24)));
        assertEquals(List.of("reminder_sms:24h"), harness.sms.kindsReceived());
    }

    @Test
    void twilio21610FailsTheMessageAndOptsTheNumberOut() throws Exception {
        start("24h", "off");
        harness.sms.alwaysAnswer(PHONE, new AttemptResult.Failed("twilio 21610", true));
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        assertEquals(DeliveryState.FAILED, harness.view("confirmation_sms|" + START.toEpochSecond()).state());
        harness.advanceTo(START.toInstant().minus(Duration.ofHours(24)));
        assertEquals(1, harness.sms.received().size(), "no further attempt to an opted-out number");
        assertEquals(DeliveryState.SKIPPED, harness.view("24h").state());
    }

    @Test
    void retriesBackOffHonourRetryAfterAndGiveUpAfterTheBudget() throws Exception {
        start("24h", "off");
        harness.sms.answerNext(new AttemptResult.Retry("http 503", null), new AttemptResult.Retry("http 429", Duration.ofMinutes(10)));
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        DeliveryView first = harness.view("confirmation_sms|" + START.toEpochSecond());
        assertEquals(DeliveryState.PENDING, first.state());
        Duration wait = Duration.between(BOOKED_AT, first.dueAt());
        assertTrue(wait.compareTo(Duration.ofSeconds(22)) >= 0 && wait.compareTo(Duration.ofSeconds(38)) <= 0,
                "30 s ± 25 % jitter, got " + wait);
        harness.advanceTo(first.dueAt());
        DeliveryView second = harness.view("confirmation_sms|" + START.toEpochSecond());
        assertTrue(!second.dueAt().isBefore(first.dueAt().plus(Duration.ofMinutes(10))), "Retry-After honoured");
        harness.advanceTo(second.dueAt());
        DeliveryView sent = harness.view("confirmation_sms|" + START.toEpochSecond());
        assertEquals(DeliveryState.SENT, sent.state());
        assertEquals(3, sent.attempts());

        for (int i = 0; i < RetryPolicy.ATTEMPTS_MAX; i++) {
            harness.sms.answerNext(new AttemptResult.Retry("http 500", null));
        }
        harness.store(event(EventType.CREATED, "appt-2", START, new Patient("Bo", null, "+16175550123", null, null, true, null)));
        harness.advanceUntilSettled("appt-2|confirmation_sms|" + START.toEpochSecond(), RetryPolicy.ATTEMPTS_MAX + 1);
        DeliveryView dead = harness.view("appt-2|confirmation_sms|" + START.toEpochSecond());
        assertEquals(DeliveryState.DEAD, dead.state());
        assertEquals(RetryPolicy.ATTEMPTS_MAX, dead.attempts());
        assertEquals("http 500", dead.lastError());
    }

    @Test
    void aPermanentRefusalIsNotRetried() throws Exception {
        start("24h", "off");
        harness.sms.answerNext(new AttemptResult.Failed("http 400 twilio 21211", false));
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.advanceTo(BOOKED_AT.plus(Duration.ofHours(2)));
        assertEquals(DeliveryState.FAILED, harness.view("confirmation_sms|" + START.toEpochSecond()).state(),
                harness.engine.snapshot().get().toString());
        assertEquals(1, harness.sms.received().size());
    }

    @Test
    void oneSlowNumberDoesNotHoldUpTheOthers() throws Exception {
        start("24h", "off");
        harness.sms.hold(PHONE);
        harness.storeWithoutSettling(event(EventType.CREATED, "appt-1", START, ANA));
        harness.storeWithoutSettling(event(EventType.CREATED, "appt-2", START,
                new Patient("Bo", null, "+16175550123", null, null, true, null)));
        Await.until("appt-2 sent while appt-1's send hangs",
                () -> harness.view("appt-2|confirmation_sms|" + START.toEpochSecond()).state() == DeliveryState.SENT);
        assertEquals(DeliveryState.ATTEMPTING, harness.view("appt-1|confirmation_sms|" + START.toEpochSecond()).state());
        harness.sms.release(PHONE);
        harness.settle();
        assertEquals(DeliveryState.SENT, harness.view("appt-1|confirmation_sms|" + START.toEpochSecond()).state());
    }

    @Test
    void anAttemptCutShortByACrashIsReconciledBeforeAnyResend() throws Exception {
        start("24h", "off");
        harness.sms.hold(PHONE); // the provider got it, but we never heard back
        harness.storeWithoutSettling(event(EventType.CREATED, "appt-1", START, ANA));
        Await.until("the send to reach the provider", () -> !harness.sms.received().isEmpty());
        harness.closeQuietly();
        harness.sms.release(PHONE);
        harness.restart();
        assertEquals(DeliveryState.SENT, harness.view("appt-1|confirmation_sms|" + START.toEpochSecond()).state());
        assertEquals("sms-reconciled", harness.view("appt-1|confirmation_sms|" + START.toEpochSecond()).providerMessageId());
        assertEquals(1, harness.sms.received().stream().filter(m -> m.to().equals(PHONE)).count(), "found, so not resent");
    }

    @Test
    void stateAfterARestartIsTheStateBeforeIt() throws Exception {
        start("72h,24h,2h", "21:00-08:00");
        harness.sms.answerNext(new AttemptResult.Retry("http 503", null));
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.store(event(EventType.CREATED, "appt-2", START.plusDays(1), ANA));
        harness.store(event(EventType.CANCELLED, "appt-2", null, null));
        harness.advanceTo(START.toInstant().minus(Duration.ofHours(24)));
        // let the live engine forget, at this clock, what a restart at this clock forgets at once
        harness.advanceBy(DeliveryEngine.EVICTION_INTERVAL);
        var before = harness.states();
        assertEquals(DeliveryState.PENDING, before.get("appt-1|reminder_sms|" + START.toEpochSecond() + "|2h"));
        harness.restart();
        assertEquals(before, harness.states());
    }

    @Test
    void pastAppointmentsAreForgottenButProblemsStayForTheOperator() throws Exception {
        start("24h", "off");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.email.answerNext(new AttemptResult.Failed("sendgrid http 400", false));
        harness.store(event(EventType.CREATED, "appt-2", START, ANA));
        harness.advanceTo(START.toInstant().minus(Duration.ofHours(24)));
        // the confirmations sent three days ago are let go (nothing more will happen to them);
        // the reminders just sent, and the failed e-mail, stay
        Map<String, DeliveryState> held = harness.states();
        assertEquals(3, held.size(), held.toString());
        assertEquals(DeliveryState.FAILED, harness.view("appt-2|confirmation_email|" + START.toEpochSecond()).state());
        harness.advanceTo(START.toInstant().plus(clinicrelay.planning.Appointments.KEPT_AFTER_START).plus(DeliveryEngine.EVICTION_INTERVAL).plusSeconds(1));
        List<DeliveryView> left = harness.engine.snapshot().get();
        assertEquals(1, left.size(), left.toString());
        assertEquals(DeliveryState.FAILED, left.get(0).state());
        harness.restart();
        assertEquals(1, harness.engine.snapshot().get().size(), "a restart forgets the same");
    }

    @Test
    void deliveryLogsCarryNoPatientData() throws Exception {
        start("24h", "off");
        Patient fixture = new Patient(Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_E164, Fixtures.EMAIL,
                Fixtures.DATE_OF_BIRTH, true, true);
        harness.sms.answerNext(new AttemptResult.Retry("http 503", null), new AttemptResult.Uncertain("twilio http 502", null));
        harness.store(event(EventType.CREATED, "appt-1", START, fixture));
        harness.advanceTo(START.toInstant().minus(Duration.ofHours(24)));
        harness.engine.optOut(Fixtures.PHONE_E164, "inbound").get();
        harness.store(event(EventType.CANCELLED, "appt-1", null, null));
        for (int i = 0; i < RetryPolicy.ATTEMPTS_MAX; i++) {
            harness.email.answerNext(new AttemptResult.Retry("http 500", null));
        }
        harness.store(event(EventType.CREATED, "appt-2", START, fixture));
        harness.advanceUntilSettled("appt-2|confirmation_email|" + START.toEpochSecond(), RetryPolicy.ATTEMPTS_MAX + 1);
        assertEquals(DeliveryState.DEAD, harness.view("appt-2|confirmation_email|" + START.toEpochSecond()).state());
        String logged = harness.log.text().toLowerCase(Locale.ROOT);
        assertTrue(logged.contains("outcome=sent") && logged.contains("kind=reminder_sms"), logged);
        assertTrue(logged.contains("warn delivery outcome=dead kind=confirmation_email"), "the dead letter is logged:\n" + logged);
        assertTrue(logged.contains("reason=\"twilio http 502\"") || logged.contains("reason=twilio http 502"),
                "the unknown outcome is logged:\n" + logged);
        for (String phi : Fixtures.PHI) {
            assertFalse(logged.contains(phi.toLowerCase(Locale.ROOT)), "PHI in the delivery log: " + phi);
        }
    }
}
