package clinicrelay.planning;

import clinicrelay.event.Patient;

/**
 * What planning may know of how to reach a patient without holding any patient data:
 * whether a phone number and an e-mail address are known, and the consent flags as the
 * events gave them (null: not said). The number and the address themselves stay in the
 * journal and are read when a message is sent.
 */
public record Reachability(boolean phone, Boolean smsConsent, boolean email, Boolean emailConsent) {
    public static final Reachability NONE = new Reachability(false, null, false, null);

    private static final int PHONE = 1;
    private static final int EMAIL = 2;
    private static final int SMS_SAID = 4;
    private static final int SMS_YES = 8;
    private static final int EMAIL_SAID = 16;
    private static final int EMAIL_YES = 32;

    public static Reachability of(Patient patient) {
        if (patient == null) {
            return NONE;
        }
        return new Reachability(patient.phone() != null, patient.smsConsent(), patient.email() != null,
                patient.emailConsent());
    }

    /** This, updated by a later event's: what the later one says wins, what it does not say stays. */
    public Reachability then(Reachability later) {
        return new Reachability(phone || later.phone, later.smsConsent != null ? later.smsConsent : smsConsent,
                email || later.email, later.emailConsent != null ? later.emailConsent : emailConsent);
    }

    /** One byte, for compact tables and checkpoints. */
    byte bits() {
        int bits = (phone ? PHONE : 0) | (email ? EMAIL : 0);
        if (smsConsent != null) {
            bits |= SMS_SAID | (smsConsent ? SMS_YES : 0);
        }
        if (emailConsent != null) {
            bits |= EMAIL_SAID | (emailConsent ? EMAIL_YES : 0);
        }
        return (byte) bits;
    }

    static Reachability fromBits(byte bits) {
        return new Reachability((bits & PHONE) != 0, (bits & SMS_SAID) != 0 ? (bits & SMS_YES) != 0 : null,
                (bits & EMAIL) != 0, (bits & EMAIL_SAID) != 0 ? (bits & EMAIL_YES) != 0 : null);
    }
}
