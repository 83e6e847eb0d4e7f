package clinicrelay.zocdoc;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Timestamps;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what Zocdoc's API says about an appointment ({@code GET /v1/appointments/{id}} and
 * its {@code /participants}) into the same {@link AppointmentEvent} a full webhook makes, so
 * that thin webhooks and the sweep drive exactly the planning of full ones.
 *
 * <p>The event id is {@code appointment_id|last_modified_time_utc}: one event per version of
 * the appointment, however many webhooks or sweeps lead to fetching it, so a second fetch of
 * the same version is a duplicate and acts on nothing. Its source is {@link #SOURCE}, so it
 * can never collide with a webhook's id.
 *
 * <p>The type follows {@code appointment_status}, which wins over the webhook's update type:
 * the API is the later truth. ("arrived" and "no_show" webhooks need no fetch: they only
 * withdraw reminders, and the planner acts on them directly.)
 */
final class ZocdocApiDetails {
    public static final String SOURCE = AppointmentEvent.SOURCE_ZOCDOC_API;
    /**
     * A booked appointment first heard of that was created this recently is a new booking
     * (confirmation and reminders); an older one was confirmed long ago (reminders only).
     */
    static final Duration FRESH_BOOKING = Duration.ofDays(1);
    /** Video visits on Zocdoc's own service give a path on Zocdoc's site (the API's {@code waiting_room_path}). */
    static final String ZOCDOC_SITE = "https://www.zocdoc.com";

    private ZocdocApiDetails() {
    }

    /**
     * @param appointment   the appointment's {@code data}
     * @param participants  the participants' {@code data}, or null when Zocdoc has none
     * @param providerName  the name patients see (see {@code zocdoc.ProviderNames}), or null
     * @param rawAnswers    both answers as fetched, kept (as patient data) for the record
     * @param now           when the details were fetched
     */
    public static AppointmentEvent normalise(String requestedId, JsonObject appointment, JsonObject participants,
                                             String providerName, byte[] rawAnswers, Instant now) {
        List<String> problems = new ArrayList<>();
        String appointmentId = ZocdocPayload.firstNonBlank(ZocdocPayload.text(appointment, "appointment_id"), requestedId);
        String status = ZocdocPayload.text(appointment, "appointment_status");
        String lastModified = ZocdocPayload.text(appointment, "last_modified_time_utc");
        String eventId = lastModified != null ? eventId(appointmentId, lastModified)
                : ZocdocPayload.boundedId(appointmentId + "|" + ZocdocPayload.bodyHash(rawAnswers));
        String providerLocation = ZocdocPayload.text(appointment, "provider_location_id");
        String providerId = participants == null ? null : ZocdocPayload.text(participants, "provider_id");
        String locationId = participants == null ? null : ZocdocPayload.text(participants, "location_id");
        if (providerLocation != null && providerLocation.contains("|")) {
            int bar = providerLocation.indexOf('|');
            providerId = providerId != null ? providerId : providerLocation.substring(0, bar);
            locationId = locationId != null ? locationId : providerLocation.substring(bar + 1);
        }
        JsonObject patient = participants == null ? null : participants.object("patient");
        EventType type = type(status, ZocdocPayload.text(appointment, "created_time_utc"),
                lastModified != null ? Timestamps.parseUtcInstant(lastModified) : now);
        return AppointmentEvent.builder(SOURCE, EventShape.FULL, type)
                .eventId(eventId)
                .rawType("api/" + (status == null ? "unknown" : ZocdocPayload.cut(status)))
                .appointmentId(ZocdocPayload.cut(appointmentId))
                .updatedAt(ZocdocPayload.cut(lastModified))
                .startTime(ZocdocPayload.startTime(appointment, problems))
                .provider(ZocdocPayload.cut(providerId), ZocdocPayload.cut(providerName))
                .location(ZocdocPayload.cut(locationId), null, locationPhone(ZocdocPayload.text(appointment, "location_phone_number"),
                        ZocdocPayload.text(appointment, "location_phone_extension")))
                .videoLink(videoLink(ZocdocPayload.text(appointment, "waiting_room_path"), problems))
                .patient(patient == null ? null : ZocdocPayload.patient(patient, problems))
                .problems(problems)
                .build();
    }

    /** The id of the event for one version of an appointment (its journal key is {@link #SOURCE}:id). */
    public static String eventId(String appointmentId, String lastModifiedTimeUtc) {
        return ZocdocPayload.boundedId(appointmentId + "|" + lastModifiedTimeUtc);
    }

    /** The appointment fields kept from the API's answer: what messages and planning use, nothing more. */
    static final List<String> APPOINTMENT_FIELDS = List.of("appointment_id", "appointment_status", "start_time",
            "created_time_utc", "last_modified_time_utc", "provider_location_id", "visit_type", "location_phone_number",
            "location_phone_extension", "waiting_room_path");
    /** The patient fields kept: no address, insurance, sex, gender, attachments (minimum necessary). */
    static final List<String> PATIENT_FIELDS = List.of("first_name", "last_name", "phone_number", "email_address",
            "date_of_birth");

    /**
     * What is kept of the answers as the event's raw body (in the journal's patient-data
     * part): only the fields above. Notes, visit reason, insurance, address and the rest of
     * what the API returns are never written anywhere.
     */
    public static byte[] minimumNecessary(JsonObject appointment, JsonObject participants) {
        JsonBuilder kept = new JsonBuilder().beginObject().beginObject("appointment");
        copy(appointment, APPOINTMENT_FIELDS, kept);
        kept.endObject().beginObject("participants");
        if (participants != null) {
            copy(participants, List.of("provider_id", "location_id"), kept);
            JsonObject patient = participants.object("patient");
            if (patient != null) {
                kept.beginObject("patient");
                copy(patient, PATIENT_FIELDS, kept);
                kept.endObject();
            }
        }
        return kept.endObject().endObject().toBytes();
    }

    private static void copy(JsonObject from, List<String> names, JsonBuilder to) {
        for (String name : names) {
            to.member(name, ZocdocPayload.text(from, name));
        }
    }

    /** @param changedAt when this version was made (its last_modified_time_utc), which freshness is measured from */
    static EventType type(String status, String createdTimeUtc, Instant changedAt) {
        if (status == null) {
            return EventType.UNKNOWN;
        }
        switch (status.toLowerCase(Locale.ROOT)) {
            case "cancelled":
            case "canceled":
                return EventType.CANCELLED;
            case "no_show":
                return EventType.NO_SHOW;
            case "arrived":
            case "checked_in":
                return EventType.CHECKED_IN;
            case "confirmed":
            case "rescheduled":
            case "reschedule_failed": // the appointment keeps its time
                return isFresh(createdTimeUtc, changedAt) ? EventType.CREATED : EventType.UPDATED;
            default:
                // pending_booking, pending_reschedule, booking_failed: nothing settled to tell
                // the patient about; the webhook for the outcome fetches again.
                return EventType.UNKNOWN;
        }
    }

    /**
     * Created within {@link #FRESH_BOOKING} of this version: measured from the change, not
     * from when we fetched it, so a fetch delayed by an outage decides as a prompt one would.
     */
    private static boolean isFresh(String createdTimeUtc, Instant changedAt) {
        Instant created = Timestamps.parseUtcInstant(createdTimeUtc);
        return created != null && changedAt != null && !created.isBefore(changedAt.minus(FRESH_BOOKING));
    }


    /** {@code 6175550100} and extension {@code 12} read {@code (617) 555-0100 ext. 12}. */
    static String locationPhone(String digits, String extension) {
        if (digits == null) {
            return null;
        }
        String phone = digits.matches("[0-9]{10}")
                ? "(" + digits.substring(0, 3) + ") " + digits.substring(3, 6) + "-" + digits.substring(6)
                : ZocdocPayload.cut(digits);
        return extension == null || !extension.matches("[0-9]{1,8}") ? phone : phone + " ext. " + extension;
    }

    private static String videoLink(String waitingRoom, List<String> problems) {
        if (waitingRoom == null) {
            return null;
        }
        String link = waitingRoom.startsWith("/") ? ZOCDOC_SITE + waitingRoom : waitingRoom;
        return ZocdocPayload.httpsLink(link, problems);
    }
}
