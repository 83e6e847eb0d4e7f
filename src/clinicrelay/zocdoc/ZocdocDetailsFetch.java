package clinicrelay.zocdoc;

import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.DurableStep;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.JournalUnavailableException;
import clinicrelay.json.JsonObject;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.time.Clock;
import java.time.Instant;

/**
 * The "fetch details" step of a thin Zocdoc event, run by the delivery engine like any
 * delivery (so it is durable, retried with backoff and Retry-After, and dead-lettered):
 * fetches the appointment and its participants, normalises them into a full event and
 * stores that through the ingest, where the engine plans it like a full webhook.
 *
 * <p>Fetching again is always safe: the same version of the appointment is the same
 * event id, which the ingest takes as a duplicate.
 */
public final class ZocdocDetailsFetch implements DurableStep {
    private final ZocdocApi api;
    private final ProviderNames providerNames;
    private final EventIngest ingest;
    private final Clock clock;
    private final Log log;

    /** @param ingest where fetched details are stored (it tells the engine, which plans them) */
    public ZocdocDetailsFetch(ZocdocApi api, ProviderNames providerNames, EventIngest ingest, Clock clock, Log log) {
        this.api = api;
        this.providerNames = providerNames;
        this.ingest = ingest;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public String name() {
        return "zocdoc";
    }

    @Override
    public AttemptResult run(Input input) throws InterruptedException {
        String appointmentId = input.appointmentId();
        try {
            JsonObject appointment = api.appointment(appointmentId);
            JsonObject participants;
            try {
                participants = api.participants(appointmentId);
            } catch (ZocdocApiException noParticipants) {
                if (noParticipants.kind() == ZocdocApiException.Kind.NOT_FOUND) {
                    // The appointment exists, its patient not yet (a lag just after booking): storing
                    // this version without a patient would claim it for good, so try again later.
                    return new AttemptResult.Retry("zocdoc participants not found yet", null);
                }
                throw noParticipants;
            }
            String providerId = participants.string("provider_id");
            String providerLocation = appointment.string("provider_location_id");
            if (providerId == null && providerLocation != null && providerLocation.contains("|")) {
                providerId = providerLocation.substring(0, providerLocation.indexOf('|'));
            }
            String providerName = providerNames.nameFor(providerId, providerLocation);
            Instant now = clock.instant();
            byte[] raw = ZocdocApiDetails.minimumNecessary(appointment, participants);
            AppointmentEvent details = ZocdocApiDetails.normalise(appointmentId, appointment, participants, providerName,
                    raw, now);
            EventIngest.Outcome outcome = ingest.ingest(details, raw, ZocdocApiDetails.SOURCE);
            log.info("zocdoc details", Field.appointmentId(appointmentId), Field.outcome(outcome.name().toLowerCase(java.util.Locale.ROOT)),
                    Field.eventType(details.type().wireName()), Field.reason(details.rawType()));
            return new AttemptResult.Sent(details.journalKey());
        } catch (ZocdocApiException failed) {
            switch (failed.kind()) {
                case NOT_FOUND:
                    log.warn("zocdoc appointment not found", Field.appointmentId(appointmentId), Field.reason(failed.getMessage()));
                    return new AttemptResult.Failed(failed.getMessage(), false);
                case PERMANENT:
                    return new AttemptResult.Failed(failed.getMessage(), false);
                default:
                    return new AttemptResult.Retry(failed.getMessage(), failed.retryAfter());
            }
        } catch (JournalUnavailableException notStored) {
            return new AttemptResult.Retry("details not stored: journal unavailable", null);
        }
    }
}
