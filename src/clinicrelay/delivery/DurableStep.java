package clinicrelay.delivery;

import clinicrelay.event.Patient;
import clinicrelay.planning.Appointment;

/**
 * Work about an appointment that the engine runs as durably as a message — planned in
 * journal order, each attempt journaled, retried with backoff and Retry-After, dead after
 * its budget, retriable by the operator — but that reaches no patient: fetching a thin
 * Zocdoc event's details, filing the appointment in the CRM. Called on its lane's worker
 * threads. Running a step again must be harmless: after a crash, a step left in flight
 * simply runs again.
 */
public interface DurableStep {
    /**
     * What a step is given, read on the engine thread when it starts: the appointment as
     * the engine knows it then, and its patient (read from the journal: patient data, for
     * the step's service only). Both null for a step that needs only the id.
     *
     * @param providerName   the provider's name as the events gave it, or null
     * @param locationName   the location's name, or null
     * @param previousResult what the last successful step of this kind for the appointment returned (journaled in its
     *                       result: the CRM Task's id), or null
     */
    record Input(String appointmentId, Appointment appointment, Patient patient, String providerName, String locationName,
                 String previousResult) {
    }

    /** Does the work for one appointment. Never throws for an outside service's trouble: that is an {@link AttemptResult}. */
    AttemptResult run(Input input) throws InterruptedException;

    /** The service's name for records and logs, e.g. zocdoc. */
    String name();

    /** Whether the step needs the appointment and its patient read for it (the engine reads them only then). */
    default boolean needsDetails() {
        return false;
    }
}
