package clinicrelay.ingest;

/**
 * Whether the relay can take one more event now. Refusing a webhook is recoverable (the
 * sender delivers it again); running out of memory is not. Asked before every new event
 * is written; never for a duplicate, which needs no room.
 */
@FunctionalInterface
public interface Capacity {
    /** Takes everything (tests that are not about capacity). */
    Capacity UNLIMITED = () -> null;

    /** Null when a new event may be stored; else a short reason without data, e.g. "heap". */
    String refusal();
}
