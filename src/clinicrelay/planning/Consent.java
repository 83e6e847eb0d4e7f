package clinicrelay.planning;

import clinicrelay.config.SmsConsent;

/**
 * Whether a patient may be texted or e-mailed: asked when planning and again when each
 * message goes out, since a later event may have withdrawn consent. Opt-outs (STOP) are
 * the send gate's, since they can change at any time.
 */
public final class Consent {
    private Consent() {
    }

    /**
     * Texting needs a number and no explicit no; then, under {@link SmsConsent#REQUIRED}
     * an explicit yes, under {@link SmsConsent#AUTO} an explicit yes or details from a
     * source that carries no consent flag (Zocdoc's API), under {@link SmsConsent#ASSUMED}
     * nothing more.
     */
    public static boolean mayText(SmsConsent policy, Appointment appointment) {
        Reachability reach = appointment.reach();
        if (!reach.phone() || Boolean.FALSE.equals(reach.smsConsent())) {
            return false;
        }
        switch (policy) {
            case ASSUMED: return true;
            case AUTO: return Boolean.TRUE.equals(reach.smsConsent()) || appointment.detailsFromZocdocApi();
            default: return Boolean.TRUE.equals(reach.smsConsent());
        }
    }

    /** E-mail needs an address and no explicit no. */
    public static boolean mayEmail(Reachability reach) {
        return reach.email() && !Boolean.FALSE.equals(reach.emailConsent());
    }
}
