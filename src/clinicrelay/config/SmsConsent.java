package clinicrelay.config;

import java.util.Locale;

/** {@code SMS_CONSENT}: whether texting needs the event's explicit {@code sms_consent: true}. */
public enum SmsConsent {
    /** Text only patients whose event says they consented. */
    REQUIRED,
    /** Text anyone who gave a phone number for the appointment, unless opted out. */
    ASSUMED;

    /** @throws IllegalArgumentException naming the value */
    public static SmsConsent parse(String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "required": return REQUIRED;
            case "assumed": return ASSUMED;
            default: throw new IllegalArgumentException("SMS_CONSENT=" + text.strip() + " must be required or assumed");
        }
    }
}
