package clinicrelay.delivery;

import static clinicrelay.delivery.EngineFixtures.ANA;
import static clinicrelay.delivery.EngineFixtures.START;
import static clinicrelay.delivery.EngineFixtures.event;
import static clinicrelay.delivery.EngineFixtures.twilioClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.event.EventType;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.testing.FakeTwilio;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Numbers a provider sends are taken saturating: an absurd Retry-After neither breaks the
 * turn (losing the other results recorded with it) nor waits longer than the cap.
 */
class ProviderNumbersTest extends EngineTestCase {
    private static final Duration ABSURD = Duration.ofSeconds(99_999_999_999_999_999L);

    @Test
    void anAbsurdRetryAfterIsCappedAndTheOtherResultsOfTheTurnAreStillRecorded() throws Exception {
        start("24h", "off");
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.useClock(harness.clock);
            harness.textThrough(twilioClient(twilio));
            twilio.failNext(FakeTwilio.Fault.TOO_MANY_REQUESTS, ABSURD);
            harness.store(event(EventType.CREATED, "appt-1", START, ANA));
            harness.store(event(EventType.CREATED, "appt-2", START.plusHours(1), ANA));
            DeliveryView first = harness.view("appt-1|confirmation_sms|" + START.toEpochSecond());
            assertEquals(DeliveryState.PENDING, first.state(), "retried, not lost");
            Instant now = harness.clock.instant();
            assertTrue(!first.dueAt().isAfter(now.plus(RetryPolicy.RETRY_AFTER_MAX)) && first.dueAt().isAfter(now),
                    "at most the cap away: " + first.dueAt());
            assertEquals(DeliveryState.SENT, harness.view("appt-2|confirmation_sms|" + START.plusHours(1).toEpochSecond()).state());
            assertEquals(0, harness.engine.oldestPendingAgeSeconds());
        }
    }

    @Test
    void theRetryPolicyAndTheHeaderParserSaturate() {
        RetryPolicy policy = new RetryPolicy(new Random(1));
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        assertEquals(now.plus(RetryPolicy.RETRY_AFTER_MAX),
                policy.nextAttempt(DeliveryKind.CONFIRMATION_SMS, 1, now, Duration.ofSeconds(Long.MAX_VALUE)));
        assertTrue(clinicrelay.channel.HttpAnswersAccess.retryAfter("99999999999999999").compareTo(Duration.ofDays(1)) <= 0);
        assertTrue(clinicrelay.channel.HttpAnswersAccess.retryAfter("999999999999999999999999999").compareTo(Duration.ofDays(1)) <= 0,
                "more digits than a long holds: still a wait, the longest");
    }
}
