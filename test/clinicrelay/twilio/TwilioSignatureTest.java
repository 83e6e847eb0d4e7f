package clinicrelay.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published vectors from twilio-java's RequestValidator tests (docs/providers.md "Twilio"). */
class TwilioSignatureTest {
    private static final TwilioSignature TOKEN_12345 = new TwilioSignature("12345");
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final Map<String, String> PARAMS = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
            "Digits", "1234", "From", "+14158675309", "To", "+18005551212");

    @Test
    void publishedVectorsMatch() {
        assertEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TOKEN_12345.sign(URL, PARAMS));
        assertEquals("kvajT1Ptam85bY51eRf/AJRuM3w=", TOKEN_12345.sign("https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS));
        String bodyUrl = URL + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        assertEquals("a9nBmqA0ju/hNViExpshrM61xv4=", TOKEN_12345.sign(bodyUrl, Map.of()));
    }

    @Test
    void signaturesWithAndWithoutTheDefaultPortAreBothAccepted() {
        assertTrue(TOKEN_12345.isValid(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assertTrue(TOKEN_12345.isValid(URL, PARAMS, "kvajT1Ptam85bY51eRf/AJRuM3w="));
        assertTrue(TOKEN_12345.isValid("https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    @Test
    void anythingElseIsRefused() {
        assertFalse(TOKEN_12345.isValid(URL, PARAMS, null));
        assertFalse(TOKEN_12345.isValid(URL, PARAMS, ""));
        assertFalse(new TwilioSignature("54321").isValid(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assertFalse(TOKEN_12345.isValid(URL, Map.of("CallSid", "CA1234567890ABCDE"), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assertFalse(TOKEN_12345.isValid("https://evil.example/myapp.php?foo=1&bar=2", PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }
}
