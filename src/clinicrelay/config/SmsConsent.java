package clinicrelay.config;

import java.util.Locale;

/**
 * {@code SMS_CONSENT}: what counts as a patient's consent to appointment texts
 * (confirmations, reminders, change notices; clinic-relay sends nothing else). In every
 * policy an explicit {@code sms_consent: false} and a STOP reply win.
 */
public enum SmsConsent {
    /** Text only patients whose event says {@code sms_consent: true}. */
    REQUIRED,
    /**
     * The default: an explicit flag is honoured; where the source carries no flag at all
     * (Zocdoc's API has none), the number the patient gave when booking counts as consent.
     * A webhook shape that has a flag and leaves it out does not count.
     */
    AUTO,
    /** Text anyone who gave a phone number for the appointment, unless they said no. */
    ASSUMED;

    public static final String DEFAULT = "auto";
    /** Said at start and by check-config: the policy that silently texts no Zocdoc patient. */
    public static final String REQUIRED_WITH_ZOCDOC = "SMS_CONSENT=required: Zocdoc carries no consent flag, so patients"
            + " booked through Zocdoc get no texts (the default, auto, counts the number they gave when booking)";

    /** @throws IllegalArgumentException naming the value */
    public static SmsConsent parse(String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "required": return REQUIRED;
            case "auto": return AUTO;
            case "assumed": return ASSUMED;
            default: throw new IllegalArgumentException("SMS_CONSENT=" + text.strip() + " must be auto, required or assumed");
        }
    }
}
