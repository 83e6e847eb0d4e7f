package clinicrelay.event;

/**
 * The patient as far as an event tells: all of it is PHI. It lives only in the journal's
 * patient-data part, in memory for sending, and in messages to that patient.
 *
 * @param phone        E.164 ({@code +15551234567}), or null when absent or unusable
 * @param smsConsent   null when the event does not say
 * @param emailConsent null when the event does not say
 */
public record Patient(String firstName, String lastName, String phone, String email, String dateOfBirth,
                      Boolean smsConsent, Boolean emailConsent) {

    public boolean isEmpty() {
        return firstName == null && lastName == null && phone == null && email == null && dateOfBirth == null
                && smsConsent == null && emailConsent == null;
    }
}
