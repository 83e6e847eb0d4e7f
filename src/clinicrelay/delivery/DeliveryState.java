package clinicrelay.delivery;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a delivery stands, and the only moves between states that the engine may make
 * ({@link #mayBecome}); every change goes through that check.
 */
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

    private static final Map<DeliveryState, Set<DeliveryState>> MOVES = new EnumMap<>(DeliveryState.class);

    static {
        // Due: an attempt starts, the planner withdraws it, the send gate skips it or moves it
        // later, or a provider status settles a send whose outcome was unknown.
        MOVES.put(PENDING, EnumSet.of(PENDING, ATTEMPTING, CANCELLED, SKIPPED, EXPIRED,
                SENT, DELIVERED, UNDELIVERED, FAILED));
        // In flight: the attempt's result (a retry is pending again), a status that beat it, or
        // the same attempt recorded again (its first write timed out, yet reached the disk).
        MOVES.put(ATTEMPTING, EnumSet.of(ATTEMPTING, PENDING, SENT, FAILED, DEAD, EXPIRED, DELIVERED, UNDELIVERED));
        // Sent: provider statuses only move forward (they arrive out of order).
        MOVES.put(SENT, EnumSet.of(DELIVERED, UNDELIVERED, FAILED));
        MOVES.put(UNDELIVERED, EnumSet.of(DELIVERED));
        // Failed or dead: the operator may try again; a late "delivered" still counts.
        MOVES.put(FAILED, EnumSet.of(DELIVERED, PENDING));
        MOVES.put(DEAD, EnumSet.of(PENDING));
        // Cancelled: planned again when the appointment moves back to that time.
        MOVES.put(CANCELLED, EnumSet.of(PENDING));
        MOVES.put(DELIVERED, EnumSet.noneOf(DeliveryState.class));
        MOVES.put(SKIPPED, EnumSet.noneOf(DeliveryState.class));
        MOVES.put(EXPIRED, EnumSet.noneOf(DeliveryState.class));
    }

    /** Whether a delivery in this state may move to {@code next}. */
    public boolean mayBecome(DeliveryState next) {
        return MOVES.get(this).contains(next);
    }

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
