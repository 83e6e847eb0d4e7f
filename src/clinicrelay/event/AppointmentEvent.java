package clinicrelay.event;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One inbound event, normalised from whichever payload shape it arrived in. Everything
 * but {@link #patient} may be kept forever and shown in logs by id; the patient part is
 * PHI and is stored apart (see {@code ingest.EventRecords}).
 *
 * @param eventId           the sender's event id (see SPEC "The Zocdoc receiver")
 * @param idempotencyKey    what duplicates are detected on: the event id when it is part of
 *                          the signed body, else the body's SHA-256 (an id from an unsigned
 *                          header could be changed by anyone replaying the request)
 * @param source            the platform, e.g. {@code zocdoc}
 * @param shape             {@code thin} (ids only, details to fetch) or {@code full}
 * @param rawType           the type as the sender named it
 * @param updatedAt         when the sender says the change happened, as sent (may be null)
 * @param startTime         appointment start with its offset, or null when absent or unparsable
 * @param locationPhone     the location's phone, for patients to call (not PHI), or null
 * @param videoLink         the visit's video link for virtual visits (treated as PHI: it opens the visit), or null
 * @param changedAttributes attribute paths the sender says changed (thin shape), may be empty
 * @param patient           null when the payload carries no patient (thin shape)
 * @param problems          fixed codes for fields that were present but unusable
 */
public record AppointmentEvent(
        String eventId,
        String idempotencyKey,
        String source,
        String shape,
        EventType type,
        String rawType,
        String appointmentId,
        String updatedAt,
        OffsetDateTime startTime,
        String providerId,
        String providerName,
        String locationId,
        String locationName,
        String locationPhone,
        String videoLink,
        List<String> changedAttributes,
        Patient patient,
        List<String> problems) {

    public static final String SHAPE_THIN = "thin";
    public static final String SHAPE_FULL = "full";
    /**
     * Events fetched from Zocdoc's partner API: {@code updatedAt} is the appointment's
     * version ({@code last_modified_time_utc}), and only a newer version changes its state.
     */
    public static final String SOURCE_ZOCDOC_API = "zocdoc-api";

    public AppointmentEvent {
        changedAttributes = List.copyOf(changedAttributes);
        problems = List.copyOf(problems);
    }

    /** The key under which the event is journaled and deduplicated: unique across sources. */
    public String journalKey() {
        return source + ":" + idempotencyKey;
    }
}
