package clinicrelay.delivery;

import java.util.Locale;

/** Where a delivery stands. The terminal states never change again, except SENT → DELIVERED/UNDELIVERED/FAILED. */
public enum DeliveryState {
    /** Waiting for its due time (first attempt or a retry). */
    PENDING,
    /** Handed to a provider; the result is not known yet. */
    ATTEMPTING,
    /** The provider accepted it. */
    SENT,
    /** The provider reports it reached the handset. */
    DELIVERED,
    /** The provider reports it did not reach the handset. */
    UNDELIVERED,
    /** Refused for good (a 4xx, an opted-out number at the provider). */
    FAILED,
    /** Retried until the budget ran out. */
    DEAD,
    /** Withdrawn by the planner (appointment cancelled or moved). */
    CANCELLED,
    /** Not sent: the number opted out, or the appointment no longer needs it. */
    SKIPPED,
    /** Not sent: its appointment had started by the time it could go. */
    EXPIRED;

    public boolean isPending() {
        return this == PENDING;
    }

    /** Later provider statuses may only move a message forward, never back (callbacks arrive out of order). */
    int rank() {
        switch (this) {
            case SENT: return 1;
            case UNDELIVERED: return 2;
            case FAILED: return 2;
            case DELIVERED: return 3;
            default: return 0;
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
