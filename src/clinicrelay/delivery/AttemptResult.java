package clinicrelay.delivery;

import java.time.Duration;

/** How one attempt ended, as a channel (a send) or a step (a call to an outside API) reports it. */
public sealed interface AttemptResult {
    /**
     * Done: the provider accepted the message, or the step did its work.
     *
     * @param providerMessageId the provider's id for it (Twilio SID, SendGrid X-Message-Id), or the step's result
     */
    record Sent(String providerMessageId) implements AttemptResult {
    }

    /**
     * Worth trying again: a network error, 429 or 5xx.
     *
     * @param retryAfter what the provider asked for (Retry-After), or null
     */
    record Retry(String reason, Duration retryAfter) implements AttemptResult {
    }

    /**
     * The provider may or may not have taken it: the connection broke after the request
     * went out, or it answered with a server error. Sending again blindly could text a
     * patient twice, so the next attempt first asks the provider ({@link MessageChannel#findSent}).
     *
     * @param retryAfter what the provider asked for (Retry-After), or null
     */
    record Uncertain(String reason, Duration retryAfter) implements AttemptResult {
    }

    /** The provider never got it (found out after a crash): send again now, without counting a failure. */
    record NotSent(String reason) implements AttemptResult {
    }

    /**
     * Refused for good: a 4xx other than 429.
     *
     * @param optedOut           the provider says the recipient opted out (Twilio 21610)
     * @param credentialsRefused the provider refused our credentials (401/403, an OAuth invalid_client): the same
     *                           refusal awaits every delivery of the lane, which /health and the alerts must say
     */
    record Failed(String reason, boolean optedOut, boolean credentialsRefused) implements AttemptResult {
        public Failed(String reason, boolean optedOut) {
            this(reason, optedOut, false);
        }
    }
}
