package clinicrelay.appointment;

import clinicrelay.event.Patient;
import java.time.OffsetDateTime;

/**
 * What is known of one appointment after folding its events: the last known value of
 * each field wins. Patient and video link are PHI; the rest is not.
 *
 * @param start null until an event (or the Zocdoc API) says when
 */
public record Appointment(
        String id,
        AppointmentStatus status,
        OffsetDateTime start,
        String providerId,
        String providerName,
        String locationId,
        String locationName,
        String locationPhone,
        String videoLink,
        Patient patient) {

    public boolean isBooked() {
        return status == AppointmentStatus.BOOKED;
    }
}
