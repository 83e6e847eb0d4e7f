package clinicrelay.delivery;

import clinicrelay.planning.DeliveryKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * When to try a failed send again: exponential backoff from {@link #FIRST_DELAY} doubling
 * up to {@link #DELAY_MAX}, each delay shaken by ±{@link #JITTER_FRACTION} so retries of
 * many messages after an outage do not arrive at the provider in one burst, and never
 * sooner than the provider's Retry-After. After {@link #ATTEMPTS_MAX} attempts a message
 * is dead; fetching a thin event's details keeps trying for {@link #FETCH_ATTEMPTS_MAX}
 * (about a day and a half at the hourly cap), since without it nothing is sent at all.
 */
final class RetryPolicy {
    static final int ATTEMPTS_MAX = 8;
    static final int FETCH_ATTEMPTS_MAX = 40;
    /**
     * A CRM sync's: hourly tries for a week (its window), so a day-long outage or a day of the
     * org's API limit (an hour's wait each time) does not use it up; the window ends it first.
     */
    static final int CRM_ATTEMPTS_MAX = 200;
    static final Duration FIRST_DELAY = Duration.ofSeconds(30);
    static final Duration DELAY_MAX = Duration.ofHours(1);
    /** Longest Retry-After honoured; a provider asking for more is treated as down for that long. */
    static final Duration RETRY_AFTER_MAX = Duration.ofHours(6);
    static final double JITTER_FRACTION = 0.25;
    /** How long work waits after the journal refused to record it (a plan, an attempt, a result). */
    static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    /** When work the journal just refused is tried again: {@link #BUSY_RETRY} from the refusal, by the engine's clock. */
    static Instant afterRefusal(Clock clock) {
        return clock.instant().plus(BUSY_RETRY);
    }

    private final Random random;

    RetryPolicy(Random random) {
        this.random = random;
    }

    static int attemptsMax(DeliveryKind kind) {
        return switch (kind) {
            case FETCH_DETAILS -> FETCH_ATTEMPTS_MAX;
            case CRM_SYNC -> CRM_ATTEMPTS_MAX;
            default -> ATTEMPTS_MAX;
        };
    }

    /** The time of the next attempt after attempt number {@code attempts} failed, or null when the budget is spent. */
    Instant nextAttempt(DeliveryKind kind, int attempts, Instant now, Duration retryAfter) {
        if (attempts >= attemptsMax(kind)) {
            return null;
        }
        long base = FIRST_DELAY.toMillis() << Math.min(attempts - 1, 20);
        long capped = Math.min(base, DELAY_MAX.toMillis());
        long jittered = (long) (capped * (1 - JITTER_FRACTION + 2 * JITTER_FRACTION * random.nextDouble()));
        // Compared as durations: an absurd Retry-After must not overflow a count of milliseconds.
        long asked = retryAfter == null ? 0 : retryAfter.compareTo(RETRY_AFTER_MAX) > 0 ? RETRY_AFTER_MAX.toMillis()
                : Math.max(0, retryAfter.toMillis());
        return now.plusMillis(Math.max(jittered, asked));
    }
}
