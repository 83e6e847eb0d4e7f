package clinicrelay.app;

/**
 * When the capacity guard refuses new events; production uses {@link #DEFAULTS}, tests
 * lower them.
 *
 * @param unplannedEventsMax  events stored and not yet planned at most (about 2 KB of heap each)
 * @param heapAfterGcFraction share of the old generation that may be live right after a collection
 */
public record CapacityLimits(int unplannedEventsMax, double heapAfterGcFraction) {
    /**
     * Five thousand unplanned events are ~10 MB, a second or two of the engine's work; 85 %
     * of the old generation live leaves room for the young generation's survivors and the
     * requests in flight.
     */
    public static final CapacityLimits DEFAULTS = new CapacityLimits(5_000, 0.85);

    /** These limits with at most {@code max} unplanned events (the lower of the two wins). */
    CapacityLimits withUnplannedEventsAtMost(int max) {
        return new CapacityLimits(Math.min(unplannedEventsMax, max), heapAfterGcFraction);
    }
}
