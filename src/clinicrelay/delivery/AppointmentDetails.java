package clinicrelay.delivery;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.Patient;

/**
 * What a message says and where it goes, read back from the journal when it is sent and
 * never kept: the patient (patient data), the provider's name, the location, the video
 * link (patient data: it opens the visit). Merged over the appointment's events like its
 * state is: what a later event says wins, what it does not say stays.
 */
record AppointmentDetails(Patient patient, String providerName, String locationName, String locationPhone,
                          String videoLink) {
    /** Nothing known: the events are gone (erased at retention) or were never read. */
    static final AppointmentDetails NONE = new AppointmentDetails(null, null, null, null, null);

    /** These details, updated by a later event's. */
    AppointmentDetails then(AppointmentEvent later) {
        return new AppointmentDetails(merge(patient, later.patient()), either(later.providerName(), providerName),
                either(later.locationName(), locationName), either(later.locationPhone(), locationPhone),
                either(later.videoLink(), videoLink));
    }

    private static Patient merge(Patient before, Patient update) {
        if (before == null || update == null) {
            return update == null ? before : update;
        }
        return new Patient(either(update.firstName(), before.firstName()), either(update.lastName(), before.lastName()),
                either(update.phone(), before.phone()), either(update.email(), before.email()),
                either(update.dateOfBirth(), before.dateOfBirth()), either(update.smsConsent(), before.smsConsent()),
                either(update.emailConsent(), before.emailConsent()));
    }

    private static <T> T either(T update, T before) {
        return update != null ? update : before;
    }
}
