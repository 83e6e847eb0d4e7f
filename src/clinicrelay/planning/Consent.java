package clinicrelay.planning;

import clinicrelay.config.SmsConsent;
import clinicrelay.event.Patient;

/**
 * Whether a patient may be texted or e-mailed: asked when planning and again when each
 * message goes out, since a later event may have withdrawn consent. Opt-outs (STOP) are
 * the send gate's, since they can change at any time.
 */
public final class Consent {
    private Consent() {
    }

    /** Texting needs a number and, under {@link SmsConsent#REQUIRED}, an explicit yes. */
    public static boolean mayText(SmsConsent policy, Patient patient) {
        if (patient == null || patient.phone() == null) {
            return false;
        }
        return policy == SmsConsent.ASSUMED
                ? !Boolean.FALSE.equals(patient.smsConsent())
                : Boolean.TRUE.equals(patient.smsConsent());
    }

    /** E-mail needs an address and no explicit no. */
    public static boolean mayEmail(Patient patient) {
        return patient != null && patient.email() != null && !Boolean.FALSE.equals(patient.emailConsent());
    }
}
