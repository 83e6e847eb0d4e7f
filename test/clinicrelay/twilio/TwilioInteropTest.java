package clinicrelay.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callbacks signed the way the official Twilio libraries sign and accept them: a URL whose
 * non-default port Twilio left out, repeated form keys (every value, each key's sorted),
 * a path with a trailing slash. The signatures here are computed independently, as
 * twilio-node's validator does, not with the relay's own code.
 */
class TwilioInteropTest {
    private static final String TOKEN = "interop-auth-token-0123456789abcdef";
    private static final String PUBLIC = "https://relay.example:8443";

    @TempDir
    Path dataDir;
    private TestRelay relay;

    @BeforeEach
    void start() throws Exception {
        relay = TestRelay.start(dataDir, Map.of("PUBLIC_BASE_URL", PUBLIC, "TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32),
                "TWILIO_AUTH_TOKEN", TOKEN, "TWILIO_PHONE_NUMBER", "+15005550006", "DRY_RUN", "true"), WriteFaults.NONE);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    /** twilio-node: URL, then for each key in order, each of its values in order, key + value. */
    private static String sign(String url, List<String[]> params) throws Exception {
        TreeMap<String, List<String>> byKey = new TreeMap<>();
        for (String[] param : params) {
            byKey.computeIfAbsent(param[0], k -> new ArrayList<>()).add(param[1]);
        }
        StringBuilder data = new StringBuilder(url);
        byKey.forEach((key, values) -> values.stream().sorted().forEach(value -> data.append(key).append(value)));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> post(String path, List<String[]> params, String signedUrl) throws Exception {
        StringBuilder form = new StringBuilder();
        for (String[] param : params) {
            form.append(form.length() == 0 ? "" : "&").append(param[0]).append('=')
                    .append(URLEncoder.encode(param[1], StandardCharsets.UTF_8));
        }
        return relay.post(path, form.toString().getBytes(StandardCharsets.UTF_8), Map.of(
                "Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", sign(signedUrl, params)));
    }

    private static List<String[]> inbound(String sid, String... bodies) {
        List<String[]> params = new ArrayList<>();
        params.add(new String[] {"MessageSid", sid});
        params.add(new String[] {"From", Fixtures.PHONE_E164});
        params.add(new String[] {"To", "+15005550006"});
        for (String body : bodies) {
            params.add(new String[] {"Body", body});
        }
        return params;
    }

    @Test
    void aSignatureOverTheUrlWithoutItsNonDefaultPortIsAccepted() throws Exception {
        assertEquals(200, post("/twilio/inbound", inbound("SMp1", "HELP"), "https://relay.example/twilio/inbound").statusCode());
        assertEquals(200, post("/twilio/inbound", inbound("SMp2", "HELP"), PUBLIC + "/twilio/inbound").statusCode());
        assertEquals(403, post("/twilio/inbound", inbound("SMp3", "HELP"), "https://elsewhere.example/twilio/inbound").statusCode());
    }

    @Test
    void repeatedFormKeysAreSignedWithEveryValueEachKeysSorted() throws Exception {
        assertEquals(200, post("/twilio/inbound", inbound("SMr1", "b", "a"), PUBLIC + "/twilio/inbound").statusCode());
    }

    @Test
    void aTrailingSlashReachesTheSameRoute() throws Exception {
        HttpResponse<String> answer = post("/twilio/inbound/", inbound("SMs1", "HELP"), PUBLIC + "/twilio/inbound/");
        assertEquals(200, answer.statusCode(), answer.body());
    }
}
