package clinicrelay.crm;

import clinicrelay.channel.DryRunOutbox;
import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.DurableStep;
import clinicrelay.event.Patient;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Appointment;
import java.time.ZoneId;

/**
 * The engine's "CRM sync" step: files the appointment as it stands now in Salesforce
 * ({@link CrmSync}), and turns what Salesforce answered into what the engine does next —
 * a retry with backoff (5xx, no answer, an answer lost after a create: the next run looks
 * before it makes anything), an hour's wait (the org's API limit), a failure for good with
 * Salesforce's errorCode (shown to the operator, retriable once fixed). A retired API
 * version (410) stops the channel: every later step fails at once, one log line says which
 * setting to change. In a dry run the step writes what it would do to the outbox instead.
 */
public final class CrmStep implements DurableStep {
    private final CrmSync sync;
    private final DryRunOutbox outbox;
    private final ZoneId clinicZone;
    private final Log log;
    /** Told when a patient matched several Contacts (a counter in /metrics). */
    private final Runnable severalContacts;
    private volatile String stopped;

    private CrmStep(CrmSync sync, DryRunOutbox outbox, ZoneId clinicZone, Log log, Runnable severalContacts) {
        this.sync = sync;
        this.outbox = outbox;
        this.clinicZone = clinicZone;
        this.log = log;
        this.severalContacts = severalContacts;
    }

    /** The real thing, through Salesforce. */
    public static CrmStep salesforce(CrmSync sync, ZoneId clinicZone, Log log, Runnable severalContacts) {
        return new CrmStep(sync, null, clinicZone, log, severalContacts);
    }

    /** A dry run's: one outbox line per step, nothing sent. */
    public static CrmStep dryRun(DryRunOutbox outbox, ZoneId clinicZone, Log log) {
        return new CrmStep(null, outbox, clinicZone, log, () -> { });
    }

    @Override
    public String name() {
        return "salesforce";
    }

    @Override
    public boolean needsDetails() {
        return true;
    }

    @Override
    public AttemptResult run(Input input) throws InterruptedException {
        Appointment appointment = input.appointment();
        if (appointment == null || appointment.start() == null) {
            return new AttemptResult.Failed("appointment no longer held", false);
        }
        CrmSync.Visit visit = new CrmSync.Visit(appointment.id(), standing(appointment), appointment.start(), clinicZone,
                input.providerName(), input.locationName());
        if (outbox != null) {
            return outbox.stepInstead("salesforce", appointment.id(), "Contact and Task for a " + visit.standing().name()
                    .toLowerCase(java.util.Locale.ROOT) + " appointment on " + appointment.start().toLocalDate());
        }
        if (stopped != null) {
            return new AttemptResult.Failed(stopped, false);
        }
        Patient patient = input.patient();
        try {
            CrmSync.Synced synced = sync.sync(visit, patient == null ? null
                    : new CrmSync.Patient(patient.firstName(), patient.lastName(), patient.email(), patient.phone()),
                    input.previousResult());
            if (synced.contactsMatching() > 1) {
                severalContacts.run();
                log.warn("salesforce: several Contacts match the patient; the oldest was used",
                        Field.appointmentId(appointment.id()), Field.reason("contact " + synced.contactId()));
            }
            log.info("salesforce synced", Field.appointmentId(appointment.id()),
                    Field.outcome(synced.taskCreated() ? "task_created" : "task_updated"));
            return new AttemptResult.Sent(synced.taskId());
        } catch (SalesforceException failed) {
            return switch (failed.kind()) {
                case RETRY, LIMIT, UNCERTAIN -> new AttemptResult.Retry(failed.getMessage(), failed.retryAfter());
                case PERMANENT -> new AttemptResult.Failed(failed.getMessage(), false,
                        failed.status() == 401 || "invalid_client".equals(failed.errorCode()));
                case GONE -> {
                    stopped = failed.getMessage() + ": the API version is retired, CRM sync stopped";
                    log.error("salesforce answered 410: the API version in SALESFORCE_API_VERSION is retired; CRM sync is"
                            + " stopped until it is set to one the org offers (check-config lists them) and the relay restarts");
                    yield new AttemptResult.Failed(stopped, false);
                }
            };
        }
    }

    private static CrmSync.Standing standing(Appointment appointment) {
        return switch (appointment.status()) {
            case BOOKED -> CrmSync.Standing.BOOKED;
            case CANCELLED -> CrmSync.Standing.CANCELLED;
            case NO_SHOW -> CrmSync.Standing.NO_SHOW;
            case CHECKED_IN -> CrmSync.Standing.ARRIVED;
        };
    }
}
