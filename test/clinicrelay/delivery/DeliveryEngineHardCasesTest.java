package clinicrelay.delivery;

import static clinicrelay.delivery.EngineFixtures.ANA;
import static clinicrelay.delivery.EngineFixtures.BOOKED_AT;
import static clinicrelay.delivery.EngineFixtures.PHONE;
import static clinicrelay.delivery.EngineFixtures.START;
import static clinicrelay.delivery.EngineFixtures.event;
import static clinicrelay.delivery.EngineFixtures.twilioClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.SmsConsent;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.journal.RecordCodec;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.testing.Await;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.FakeTwilio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cases where a careless engine texts twice, forgets a reminder, or acts differently
 * after a restart than before it: unknown send outcomes, appointments moved away and back,
 * cancelled and rebooked, consent withdrawn, past appointments forgotten, a journal that
 * refuses a step, and provider callbacks that beat the send's own result.
 */
class DeliveryEngineHardCasesTest extends EngineTestCase {


    private void start(String offsets) throws Exception {
        start(offsets, "off");
    }

    private long remindersReceived() {
        return harness.sms.kindsReceived().stream().filter(kind -> kind.startsWith("reminder")).count();
    }

    @Test
    void aConnectionDroppedAfterTwilioTookTheMessageIsLookedForNotResent() throws Exception {
        start("24h");
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.useClock(harness.clock);
            harness.textThrough(twilioClient(twilio));
            twilio.failNext(FakeTwilio.Fault.DROP_AFTER_CREATE);
            harness.store(event(EventType.CREATED, "appt-1", START, ANA));
            DeliveryView confirmation = harness.view("confirmation_sms|" + START.toEpochSecond());
            assertEquals(DeliveryState.PENDING, confirmation.state(), "outcome unknown: waits to look before anything else");
            harness.advanceTo(confirmation.dueAt());
            confirmation = harness.view("confirmation_sms|" + START.toEpochSecond());
            assertEquals(DeliveryState.SENT, confirmation.state());
            assertEquals(twilio.messages().get(0).string("sid"), confirmation.providerMessageId(), "found at Twilio");
            assertEquals(1, twilio.created().size(), "one create: the confirmation was never sent again");
            harness.advanceTo(START.toInstant().minus(Duration.ofHours(24)));
            assertEquals(2, twilio.messages().size(), "the reminder still goes out");
        }
    }

    @Test
    void aServerErrorIsLookedForAndSentWhenTwilioDoesNotHaveIt() throws Exception {
        start("24h");
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.useClock(harness.clock);
            harness.textThrough(twilioClient(twilio));
            twilio.failNext(FakeTwilio.Fault.SERVER_ERROR);
            harness.store(event(EventType.CREATED, "appt-1", START, ANA));
            assertEquals(0, twilio.messages().size());
            harness.advanceTo(harness.view("confirmation_sms|" + START.toEpochSecond()).dueAt());
            assertEquals(DeliveryState.SENT, harness.view("confirmation_sms|" + START.toEpochSecond()).state());
            assertEquals(1, twilio.messages().size(), "not found at Twilio, so sent once");
            assertEquals(3, harness.view("confirmation_sms|" + START.toEpochSecond()).attempts(), "send, look, send");
        }
    }

    @Test
    void aReconciliationThatCannotTellWaitsAndAsksAgainInsteadOfResending() throws Exception {
        start("24h");
        harness.sms.hold(PHONE); // the provider took it, but the process died before hearing back
        harness.storeWithoutSettling(event(EventType.CREATED, "appt-1", START, ANA));
        Await.until("the send to reach the provider", () -> !harness.sms.received().isEmpty());
        harness.closeQuietly();
        harness.sms.release(PHONE);
        harness.sms.failReconcile(2); // the provider's message list is down at start-up, and once more
        harness.restart();
        DeliveryView waiting = harness.view("confirmation_sms|" + START.toEpochSecond());
        assertEquals(DeliveryState.PENDING, waiting.state());
        assertTrue(waiting.lastError().startsWith("reconcile"), waiting.lastError());
        harness.restart(); // the "look first" survives a restart too
        harness.advanceTo(harness.view("confirmation_sms|" + START.toEpochSecond()).dueAt());
        harness.advanceTo(harness.view("confirmation_sms|" + START.toEpochSecond()).dueAt());
        assertEquals(DeliveryState.SENT, harness.view("confirmation_sms|" + START.toEpochSecond()).state());
        assertEquals(1, harness.sms.received().size(), "never resent on a guess");
    }

    @Test
    void anOutcomeThatStaysUnknownEndsDeadNotDoubled() throws Exception {
        start("24h");
        harness.sms.answerNext(new AttemptResult.Uncertain("twilio http 502", null));
        harness.sms.failReconcile(RetryPolicy.ATTEMPTS_MAX);
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.advanceUntilSettled("confirmation_sms|" + START.toEpochSecond(), RetryPolicy.ATTEMPTS_MAX + 1);
        assertEquals(DeliveryState.DEAD, harness.view("confirmation_sms|" + START.toEpochSecond()).state());
        assertEquals(1, harness.sms.received().size());
    }

    @Test
    void movedAwayAndBackTheAppointmentGetsItsRemindersAgain() throws Exception {
        start("24h");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.store(event(EventType.UPDATED, "appt-1", START.plusDays(2), null));
        harness.store(event(EventType.UPDATED, "appt-1", START, null));
        harness.restart();
        harness.advanceTo(START.toInstant().minusSeconds(60));
        assertEquals(List.of("confirmation_sms", "rescheduled_sms", "rescheduled_sms", "reminder_sms:24h"),
                harness.sms.kindsReceived());
    }

    @Test
    void cancelledThenRebookedIsConfirmedAgainAndARestartKeepsItsReminders() throws Exception {
        start("24h");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.store(event(EventType.CANCELLED, "appt-1", null, null));
        harness.store(event(EventType.CREATED, "appt-1", START, ANA)); // rebooked, same time
        assertEquals(List.of("confirmation_sms", "cancellation_sms", "confirmation_sms"), harness.sms.kindsReceived());
        OffsetDateTime later = START.plusDays(2);
        harness.store(event(EventType.UPDATED, "appt-1", later, null));
        String reminder = "appt-1|reminder_sms|" + later.toEpochSecond() + "|24h";
        assertEquals(DeliveryState.PENDING, harness.view(reminder).state());
        harness.restart();
        assertEquals(DeliveryState.PENDING, harness.view(reminder).state(), "a restart must not cancel it");
        harness.store(event(EventType.CANCELLED, "appt-1", null, null));
        assertEquals(2, harness.sms.kindsReceived().stream().filter("cancellation_sms"::equals).count(),
                "the second cancellation is told too");
    }

    @Test
    void consentWithdrawnByALaterEventStopsFurtherTexts() throws Exception {
        start("24h");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.store(event(EventType.UPDATED, "appt-1", null, new Patient(null, null, null, null, null, false, null)));
        harness.advanceTo(START.toInstant().minusSeconds(60));
        assertEquals(List.of("confirmation_sms"), harness.sms.kindsReceived());
        assertEquals(DeliveryState.SKIPPED, harness.view("24h").state());
        assertEquals("no consent", harness.view("24h").lastError());
    }

    @Test
    void anAppointmentForgottenAsPastIsPlannedAlikeBeforeAndAfterARestart() throws Exception {
        start("24h");
        OffsetDateTime soon = OffsetDateTime.parse("2026-11-27T12:00:00-05:00"); // two hours after booking
        harness.store(event(EventType.CREATED, "appt-1", soon, ANA));
        harness.advanceTo(soon.toInstant().plus(Duration.ofDays(1)).plus(Duration.ofHours(2)));
        harness.store(event(EventType.UPDATED, "appt-1", START, null)); // a past appointment, moved to Dec 1
        List<String> live = harness.sms.kindsReceived();
        var states = harness.states();
        harness.restart();
        assertEquals(live, harness.sms.kindsReceived(), "a restart sends nothing the live engine did not");
        assertEquals(states, harness.states());
    }

    @Test
    void anEventACrashLeftUnplannedIsPlannedAndSentAtStartWithoutAnythingWakingTheEngine() throws Exception {
        // The process died after storing the event and before planning it: it is on disk, unplanned.
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), record -> { }, new CapturedLog(
                java.time.Clock.systemUTC()).log())) {
            new EventIngest.Replay(java.time.Duration.ofDays(30)).attach(journal, RecordCodec.plain(), java.time.Clock.fixed(BOOKED_AT,
                    java.time.ZoneOffset.UTC), EventIngest.Listener.NONE)
                    .ingest(event(EventType.CREATED, "appt-1", START, ANA), "{}".getBytes(StandardCharsets.UTF_8), "test");
        }
        harness = new EngineHarness(dataDir, BOOKED_AT, "24h", "off", SmsConsent.REQUIRED, false);
        Await.until("the confirmation sent with no command, no event and no clock move", () -> !harness.sms.received().isEmpty());
        assertEquals(List.of("confirmation_sms"), harness.sms.kindsReceived());
    }

    @Test
    void aPlanTheJournalRefusedWaitsAndTheAppointmentsEventsArePlannedInOrder() throws Exception {
        start("24h");
        OffsetDateTime later = START.plusDays(2);
        AppointmentEvent created = event(EventType.CREATED, "appt-1", START, ANA);
        AppointmentEvent moved = event(EventType.UPDATED, "appt-1", later, null);
        long createdAt = harness.writeOnly(created, BOOKED_AT);
        long movedAt = harness.writeOnly(moved, BOOKED_AT);
        harness.disk.fail("disk full");
        // stored just before the disk filled: the engine must plan both, in this order
        harness.inbox.stored(created, BOOKED_AT, created.journalKey(), createdAt);
        harness.inbox.stored(moved, BOOKED_AT, moved.journalKey(), movedAt);
        harness.engine.awaitIdle(10_000);
        assertEquals(List.of(), harness.states().keySet().stream().toList(), "nothing planned while the disk refuses");
        harness.disk.heal();
        harness.advanceBy(RetryPolicy.BUSY_RETRY.minusSeconds(1));
        assertEquals(List.of(), harness.states().keySet().stream().toList(), "the backlog waits its time by the engine's clock");
        harness.advanceBy(Duration.ofSeconds(1));
        // planned in order: the move withdrew the unsent confirmation and told the new time instead
        assertEquals(List.of("rescheduled_sms"), harness.sms.kindsReceived(), harness.log.text());
        assertEquals(DeliveryState.CANCELLED, harness.view("confirmation_sms|" + START.toEpochSecond()).state());
        assertEquals(DeliveryState.CANCELLED, harness.view("appt-1|reminder_sms|" + START.toEpochSecond() + "|24h").state());
        assertEquals(DeliveryState.PENDING, harness.view("appt-1|reminder_sms|" + later.toEpochSecond() + "|24h").state());
    }

    @Test
    void anOptOutOrStatusTheJournalRefusedFailsSoTheProviderTriesAgain() throws Exception {
        start("24h");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        String confirmation = harness.view("confirmation_sms|" + START.toEpochSecond()).id();
        harness.disk.fail("disk full");
        ExecutionException optOut = assertThrows(ExecutionException.class, () -> harness.engine.optOut(PHONE, "inbound").get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, optOut.getCause());
        assertThrows(ExecutionException.class,
                () -> harness.engine.statusReported(confirmation, DeliveryState.DELIVERED, null).get(10, TimeUnit.SECONDS));
        harness.disk.heal();
        assertTrue(harness.engine.optOut(PHONE, "inbound").get(10, TimeUnit.SECONDS), "recorded once the disk takes it");
        assertTrue(harness.engine.statusReported(confirmation, DeliveryState.DELIVERED, null).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aDeliveryStatusThatBeatsTheSendsResultIsKept() throws Exception {
        start("24h");
        harness.sms.hold(PHONE);
        harness.storeWithoutSettling(event(EventType.CREATED, "appt-1", START, ANA));
        String confirmation = harness.view("confirmation_sms|" + START.toEpochSecond()).id();
        Await.until("the send to start", () -> harness.view(confirmation).state() == DeliveryState.ATTEMPTING);
        assertTrue(harness.engine.statusReported(confirmation, DeliveryState.DELIVERED, null).get(10, TimeUnit.SECONDS));
        harness.sms.release(PHONE);
        harness.settle();
        assertEquals(DeliveryState.DELIVERED, harness.view(confirmation).state());
        harness.restart();
        assertEquals(DeliveryState.DELIVERED, harness.view(confirmation).state());
    }

    @Test
    void anOperatorsRetryOfAFailedCancellationNoticeAfterARebookingTellsNobodyCancelled() throws Exception {
        start("24h");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.sms.answerNext(new AttemptResult.Failed("twilio http 400 code 30003", false));
        harness.store(event(EventType.CANCELLED, "appt-1", null, null));
        DeliveryView failed = harness.engine.snapshot().get(10, TimeUnit.SECONDS).stream()
                .filter(v -> v.kind() == DeliveryKind.CANCELLATION_SMS).findFirst().get();
        assertEquals(DeliveryState.FAILED, failed.state());
        harness.store(event(EventType.CREATED, "appt-1", START, ANA)); // re-booked, same time
        int before = harness.sms.kindsReceived().size();
        assertTrue(harness.engine.retry(failed.id()).get(10, TimeUnit.SECONDS));
        harness.engine.wake();
        harness.settle();
        assertEquals(List.of(), harness.sms.kindsReceived().subList(before, harness.sms.kindsReceived().size()),
                "nothing more: the appointment is booked again");
        assertEquals("appointment booked again", harness.view(failed.id()).lastError());
        assertEquals(false, harness.engine.retry("appt-1|nothing").get(10, TimeUnit.SECONDS), "an unknown delivery is not retried");
    }

    @Test
    void anOperatorsRetryGivesADeadDeliveryAFreshBudgetAndSurvivesARestart() throws Exception {
        start("24h");
        for (int i = 0; i < RetryPolicy.ATTEMPTS_MAX; i++) {
            harness.sms.answerNext(new AttemptResult.Retry("twilio http 429", null));
        }
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.advanceUntilSettled("confirmation_sms|" + START.toEpochSecond(), RetryPolicy.ATTEMPTS_MAX + 1);
        DeliveryView dead = harness.view("confirmation_sms|" + START.toEpochSecond());
        assertEquals(DeliveryState.DEAD, dead.state());
        harness.disk.fail("disk full");
        assertThrows(ExecutionException.class, () -> harness.engine.retry(dead.id()).get(10, TimeUnit.SECONDS));
        harness.disk.heal();
        assertTrue(harness.engine.retry(dead.id()).get(10, TimeUnit.SECONDS));
        harness.restart(); // the retry is in the journal
        harness.settle();
        assertEquals(DeliveryState.SENT, harness.view(dead.id()).state(), harness.log.text() + harness.engine.snapshot().get());
        assertEquals(1, harness.view(dead.id()).attempts(), "a fresh budget");
    }

    @Test
    void aSecondCreatedForTheSameBookingSendsNothingMore() throws Exception {
        start("24h");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.store(event(EventType.CREATED, "appt-1", START, ANA)); // re-sent under a new event id
        assertEquals(List.of("confirmation_sms"), harness.sms.kindsReceived());
    }

    @Test
    void aDeliveredCallbackSettlesASendWhoseOutcomeWasUnknownWithoutAnyCheck() throws Exception {
        start("24h");
        harness.sms.answerNext(new AttemptResult.Uncertain("twilio http 502", null));
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        DeliveryView waiting = harness.view("confirmation_sms|" + START.toEpochSecond());
        assertEquals(DeliveryState.PENDING, waiting.state());
        harness.sms.failReconcile(RetryPolicy.ATTEMPTS_MAX); // a check could not tell: the callback must decide
        assertTrue(harness.engine.statusReported(waiting.id(), DeliveryState.DELIVERED, null).get(10, TimeUnit.SECONDS));
        harness.restart();
        harness.advanceTo(waiting.dueAt().plusSeconds(3600));
        assertEquals(DeliveryState.DELIVERED, harness.view(waiting.id()).state());
        assertEquals(1, harness.sms.received().size(), "proof of delivery: never sent again");
    }
}
