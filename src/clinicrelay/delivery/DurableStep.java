package clinicrelay.delivery;

/**
 * Work about an appointment that the engine runs as durably as a message — planned in
 * journal order, each attempt journaled, retried with backoff and Retry-After, dead after
 * its budget, retriable by the operator — but that reaches no patient: today, fetching a
 * thin Zocdoc event's details. Called on its lane's worker threads. Running a step again
 * must be harmless: after a crash, a step left in flight simply runs again.
 */
public interface DurableStep {
    /** Does the work for one appointment. Never throws for an outside service's trouble: that is an {@link AttemptResult}. */
    AttemptResult run(String appointmentId) throws InterruptedException;

    /** The service's name for records and logs, e.g. zocdoc. */
    String name();
}
