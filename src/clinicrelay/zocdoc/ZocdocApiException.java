package clinicrelay.zocdoc;

import java.time.Duration;

/**
 * A call to Zocdoc's partner API that did not give an answer to use. Its message holds
 * only the call's name and status, never a token, secret or patient data.
 */
public final class ZocdocApiException extends Exception {
    /** What the caller should do about it. */
    public enum Kind {
        /** A network error, 429, 5xx or a refused token: try again later. */
        RETRY,
        /** 404: the appointment does not exist (for our credentials). Permanent. */
        NOT_FOUND,
        /** Any other 4xx: asking again will not help. */
        PERMANENT
    }

    private final Kind kind;
    private final Duration retryAfter;

    ZocdocApiException(Kind kind, String reason, Duration retryAfter) {
        super(reason, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** What Zocdoc asked for (Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
