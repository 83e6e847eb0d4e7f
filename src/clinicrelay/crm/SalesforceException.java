package clinicrelay.crm;

import java.time.Duration;

/**
 * A Salesforce call that did not succeed, with what it means for the job: try again
 * (after {@link #retryAfter}), refused for good (with Salesforce's {@code errorCode}), the
 * API version is gone (410: stop the channel), or the answer was lost after the request
 * went out (look before doing it again). The message carries status and error codes only:
 * never a token, a query or a record's values.
 */
public final class SalesforceException extends Exception {
    /** What the caller should do. */
    public enum Kind {
        /** 5xx, a network error, a token that cannot be had just now: try again with backoff. */
        RETRY,
        /** 403 REQUEST_LIMIT_EXCEEDED: the org's daily API limit; wait an hour. */
        LIMIT,
        /** 400/404 with an errorCode (REQUIRED_FIELD_MISSING, INVALID_FIELD, ...), or credentials refused: for good. */
        PERMANENT,
        /** 410: the API version in SALESFORCE_API_VERSION was retired. */
        GONE,
        /** The request went out and no answer came back: it may have been done. */
        UNCERTAIN
    }

    private final Kind kind;
    private final String errorCode;
    private final Duration retryAfter;
    private final int status;

    SalesforceException(Kind kind, String message, String errorCode, Duration retryAfter) {
        this(kind, message, errorCode, retryAfter, 0);
    }

    SalesforceException(Kind kind, String message, String errorCode, Duration retryAfter, int status) {
        super(message, null, false, false);
        this.kind = kind;
        this.errorCode = errorCode;
        this.retryAfter = retryAfter;
        this.status = status;
    }

    /** The HTTP status Salesforce answered, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    public Kind kind() {
        return kind;
    }

    /** Salesforce's errorCode (REQUIRED_FIELD_MISSING, ...), or null. */
    public String errorCode() {
        return errorCode;
    }

    /** How long to wait before the next try, or null for the usual backoff. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
