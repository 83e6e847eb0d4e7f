package clinicrelay.twilio;

import java.util.Map;

/** Signs a callback as Twilio does, for tests outside this package (the signer itself stays package-private). */
public final class TwilioSigning {
    private TwilioSigning() {
    }

    public static String sign(String authToken, String url, Map<String, String> params) {
        return new TwilioSignature(authToken).sign(url, params);
    }
}
