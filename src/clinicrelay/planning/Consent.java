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

    /** Texting needs a number and, under {@link SmsConsent#REQUIRED}, an explicit yes. */
    public static boolean mayText(SmsConsent policy, Reachability reach) {
        if (!reach.phone()) {
            return false;
        }
        return policy == SmsConsent.ASSUMED
                ? !Boolean.FALSE.equals(reach.smsConsent())
                : Boolean.TRUE.equals(reach.smsConsent());
    }

    /** E-mail needs an address and no explicit no. */
    public static boolean mayEmail(Reachability reach) {
        return reach.email() && !Boolean.FALSE.equals(reach.emailConsent());
    }
}
