package clinicrelay.planning;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What is known of one appointment after folding its events, without patient data: the
 * last known value of each field wins. A view, made when asked for; the appointment's
 * state itself is kept compact in {@link Appointments}. The patient's name, number and
 * address, the location and the video link are read from the journal when a message is
 * sent (see {@code delivery.AppointmentDetails}).
 *
 * @param start   null until an event (or the Zocdoc API) says when
 * @param version the Zocdoc API version ({@code last_modified_time_utc}) this state reflects, or null
 */
public record Appointment(
        String id,
        AppointmentStatus status,
        OffsetDateTime start,
        String providerId,
        String providerName,
        Reachability reach,
        Instant version) {

    /**
     * Whether its details came from Zocdoc's API (only those carry a version): a source with
     * no consent flag, where the number given when booking is the patient's consent.
     */
    public boolean detailsFromZocdocApi() {
        return version != null;
    }

    public boolean isBooked() {
        return status == AppointmentStatus.BOOKED;
    }

    /** The zone its times are shown and quiet hours kept in: the clinic's when set, else the start's own offset. */
    public ZoneId zone(ZoneId clinicZone) {
        if (clinicZone != null) {
            return clinicZone;
        }
        return start != null ? start.getOffset() : ZoneOffset.UTC;
    }
}
