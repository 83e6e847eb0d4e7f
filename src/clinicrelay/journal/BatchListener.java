package clinicrelay.journal;

/**
 * Told of each batch the journal forced: how many records it held and how long each of them
 * waited from append to durable. Called on the writer thread: must be quick (metrics).
 */
@FunctionalInterface
public interface BatchListener {
    BatchListener NONE = (records, appendToDurableNanos) -> { };

    /** @param appendToDurableNanos one entry per record of the batch */
    void batchForced(int records, long[] appendToDurableNanos);
}
