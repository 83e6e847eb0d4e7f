package clinicrelay.delivery;

import static clinicrelay.delivery.EngineFixtures.ANA;
import static clinicrelay.delivery.EngineFixtures.BOOKED_AT;
import static clinicrelay.delivery.EngineFixtures.START;
import static clinicrelay.delivery.EngineFixtures.event;
import static clinicrelay.delivery.EngineFixtures.twilioClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.event.EventType;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.twilio.TwilioSms;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Races around sends in flight and replay: a burst of events stored before the engine plans
 * them, a move or a provider callback while a send is in flight, a check that throws or
 * that could mistake an earlier identical text for the lost one, a repeated cancellation.
 * (Found by an independent review; each failed before its fix.)
 */
class DeliveryEngineRacesTest extends EngineTestCase {


    private static String kind(OutgoingMessage message) {
        return message.deliveryId().split("\\|")[1];
    }

    /**
     * A provider for these tests: remembers what it really took, answers sends from a script
     * (default: taken), can hold the first send, and its message list can throw once.
     */
    static final class ProviderStub implements MessageChannel {
        final List<OutgoingMessage> taken = new ArrayList<>();
        final List<AttemptResult> script = new ArrayList<>();
        final List<Boolean> takeScript = new ArrayList<>();
        volatile CountDownLatch holdFirst;
        volatile int sends;
        volatile boolean findThrowsOnce;

        @Override
        public AttemptResult send(OutgoingMessage message) throws InterruptedException {
            int n;
            AttemptResult result;
            boolean take;
            synchronized (this) {
                n = sends++;
                result = script.isEmpty() ? null : script.remove(0);
                take = takeScript.isEmpty() || takeScript.remove(0);
                if (take) {
                    taken.add(message);
                }
            }
            if (n == 0 && holdFirst != null) {
                holdFirst.await(30, TimeUnit.SECONDS);
            }
            return result != null ? result : new AttemptResult.Sent("stub-" + n);
        }

        @Override
        public synchronized String findSent(OutgoingMessage message, Instant attemptStarted, java.util.Set<String> claimed) {
            if (findThrowsOnce) {
                findThrowsOnce = false;
                throw new IllegalStateException("unexpected answer from the message list");
            }
            for (OutgoingMessage m : taken) {
                if (m.to().equals(message.to()) && m.body().equals(message.body())) {
                    return "stub-found";
                }
            }
            return null;
        }

        @Override
        public String name() {
            return "stub";
        }

        synchronized List<String> takenKinds() {
            List<String> kinds = new ArrayList<>();
            for (OutgoingMessage m : taken) {
                kinds.add(kind(m));
            }
            return kinds;
        }
    }

    /**
     * A NO_SHOW (or CHECKED_IN) stored in the same burst as an earlier event of the
     * appointment (here a cancellation) plans nothing live, so it gets no marker; replay,
     * recomputing its plan against the book as it stood at the event's record (before the
     * cancellation's plan), sees reminders to cancel and calls it unplanned. Every restart then
     * re-plans it against the *current* book: after a rebooking it cancels the new reminders.
     */
    @Test
    void aRestartMustNotReplanABurstEventAgainstLaterDeliveries() throws Exception {
        start("24h", "off");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        // A burst: the cancellation and the no-show are both on disk before the engine plans the first.
        int forcesBefore = harness.disk.forces();
        harness.disk.holdForce();
        Thread cancel = new Thread(() -> {
            try {
                harness.ingestOnly(event(EventType.CANCELLED, "appt-1", null, null));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        cancel.start();
        Await.until("the cancellation's write", () -> harness.disk.forces() != forcesBefore);
        Thread noShow = new Thread(() -> {
            try {
                harness.ingestOnly(event(EventType.NO_SHOW, "appt-1", null, null));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        noShow.start();
        // the no-show's frame is queued behind the held batch once its thread waits for the disk
        Await.until("the no-show appended", () -> noShow.getState() == Thread.State.WAITING
                || noShow.getState() == Thread.State.TIMED_WAITING);
        harness.disk.releaseForce();
        cancel.join();
        noShow.join();
        harness.settle();
        // Rebooked later, at another time: new reminders.
        OffsetDateTime later = START.plusDays(2);
        harness.store(event(EventType.CREATED, "appt-1", later, ANA));
        String reminder = "appt-1|reminder_sms|" + later.toEpochSecond() + "|24h";
        assertEquals(DeliveryState.PENDING, harness.view(reminder).state());
        Map<String, DeliveryState> live = harness.states();
        harness.restart();
        assertEquals(DeliveryState.PENDING, harness.view(reminder).state(), "a restart cancelled the rebooked reminder");
        assertEquals(live, harness.states());
    }

    /**
     * A second CANCELLED event (another webhook for the same cancellation) cancels the
     * first one's cancellation SMS while it waits for quiet hours to end, and plans none of its
     * own (the status did not change): the patient is never told.
     */
    @Test
    void aRepeatedCancellationMustNotWithdrawTheCancellationNotice() throws Exception {
        start("24h", "21:00-08:00");
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.advanceTo(Instant.parse("2026-11-28T03:00:00Z")); // 22:00 in New York: quiet
        harness.store(event(EventType.CANCELLED, "appt-1", null, null));
        harness.advanceTo(Instant.parse("2026-11-28T03:05:00Z"));
        harness.store(event(EventType.CANCELLED, "appt-1", null, null));
        harness.advanceTo(Instant.parse("2026-11-28T13:01:00Z")); // 08:01
        assertEquals(List.of("confirmation_sms", "cancellation_sms"), harness.sms.kindsReceived());
    }

    /**
     * A confirmation whose send is in flight when the appointment moves is not
     * cancelled (only PENDING ones are). Its send ends with an unknown outcome (Twilio 502, not
     * created); the check finds nothing and the engine sends the "confirmation" anyway, after
     * the "rescheduled" text: two texts, where the docs say a move withdraws an unsent confirmation.
     */
    @Test
    void aMoveWhileTheConfirmationIsInFlightWithdrawsItEvenAfterAnUnknownOutcome() throws Exception {
        start("24h", "off");
        ProviderStub twilio = new ProviderStub();
        twilio.holdFirst = new CountDownLatch(1);
        twilio.script.add(new AttemptResult.Uncertain("twilio http 502", null));
        twilio.takeScript.add(false); // the 502 created nothing
        harness.textThrough(twilio);
        harness.storeWithoutSettling(event(EventType.CREATED, "appt-1", START, ANA));
        Await.until("the send to reach the provider", () -> twilio.sends > 0);
        harness.storeWithoutSettling(event(EventType.UPDATED, "appt-1", START.plusDays(2), null));
        twilio.holdFirst.countDown();
        harness.settle();
        harness.advanceUntilSettled("confirmation_sms|" + START.toEpochSecond(), 3);
        assertEquals(List.of("rescheduled_sms"), twilio.takenKinds());
    }

    /**
     * A check (looking for a send with an unknown outcome) that throws an unchecked
     * exception becomes a plain Retry: verify is dropped and the next attempt sends again,
     * although the provider had taken the first send.
     */
    @Test
    void aCheckThatThrowsMustNotTurnIntoAResend() throws Exception {
        start("24h", "off");
        ProviderStub twilio = new ProviderStub();
        twilio.script.add(new AttemptResult.Uncertain("twilio network IOException", null)); // taken, answer lost
        twilio.findThrowsOnce = true;
        harness.textThrough(twilio);
        harness.store(event(EventType.CREATED, "appt-1", START, ANA));
        harness.advanceUntilSettled("confirmation_sms|" + START.toEpochSecond(), 4);
        assertEquals(List.of("confirmation_sms"), twilio.takenKinds(), "texted twice");
    }

    /**
     * TwilioSms.findSent matches any message to the number with the same text created
     * since the attempt minus 5 minutes of clock skew. Cancelled and rebooked at the same time
     * within minutes, the new confirmation has the old one's exact text: a 5xx (nothing created)
     * is then "found" as the old message and the patient, last told "cancelled", is never
     * told the appointment is booked again.
     */
    @Test
    void aCheckMustNotTakeAnEarlierIdenticalTextForTheLostSend() throws Exception {
        start("24h", "off");
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.useClock(harness.clock);
            harness.textThrough(twilioClient(twilio));
            harness.store(event(EventType.CREATED, "appt-1", START, ANA));
            harness.advanceTo(BOOKED_AT.plus(Duration.ofMinutes(1)));
            harness.store(event(EventType.CANCELLED, "appt-1", null, null));
            harness.advanceTo(BOOKED_AT.plus(Duration.ofMinutes(2)));
            twilio.failNext(FakeTwilio.Fault.SERVER_ERROR);
            harness.store(event(EventType.CREATED, "appt-1", START, ANA)); // rebooked, same slot
            for (int i = 0; i < 4; i++) {
                boolean waiting = false;
                for (DeliveryView view : harness.engine.snapshot().get()) {
                    if (view.state() == DeliveryState.PENDING && view.kind() == DeliveryKind.CONFIRMATION_SMS) {
                        harness.advanceTo(view.dueAt());
                        waiting = true;
                    }
                }
                if (!waiting) {
                    break;
                }
            }
            assertEquals(3, twilio.messages().size(), "confirmation, cancellation, confirmation again");
        }
    }

    /**
     * A "delivered" callback that beats a send whose answer was then lost (Uncertain)
     * is journaled, kept as an early status, and dropped when the Uncertain result is recorded;
     * one arriving while the delivery waits for its check is refused (204, so Twilio never
     * retries). Either way the proof that the text went out is thrown away: the delivery ends SENT,
     * and were the list lookup to miss it, it would be sent again.
     */
    @Test
    void aDeliveredCallbackIsNotLostWhenTheSendsAnswerWas() throws Exception {
        start("24h", "off");
        ProviderStub twilio = new ProviderStub();
        twilio.holdFirst = new CountDownLatch(1);
        twilio.script.add(new AttemptResult.Uncertain("twilio network IOException", null)); // taken, answer lost
        harness.textThrough(twilio);
        harness.storeWithoutSettling(event(EventType.CREATED, "appt-1", START, ANA));
        String confirmation = harness.view("confirmation_sms|" + START.toEpochSecond()).id();
        Await.until("the send to start", () -> harness.view(confirmation).state() == DeliveryState.ATTEMPTING);
        assertTrue(harness.engine.statusReported(confirmation, DeliveryState.DELIVERED, null).get());
        twilio.holdFirst.countDown();
        harness.settle();
        harness.advanceTo(harness.view(confirmation).dueAt());
        assertEquals(DeliveryState.DELIVERED, harness.view(confirmation).state());
    }
}
