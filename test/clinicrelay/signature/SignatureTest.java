package clinicrelay.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Both receiver schemes, against published vectors where they exist. */
class SignatureTest {
    private static final String SANDBOX_KEY = "g9Y9hjTUk9KKH7ffBRbtRmJYo2OISsdMK4flbfDa3zR=";
    private static final byte[] BODY = "{\"event_type\":\"appointment_updated\"}".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_795_000_000L;

    private static HeaderLookup headers(Map<String, String> values) {
        TreeMap<String, String> insensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        insensitive.putAll(values);
        return insensitive::get;
    }

    private static Verdict zocdoc(List<String> secrets, String timestamp, String signature) {
        return new ZocdocV1Signature(secrets, 300).verify(
                headers(Map.of("webhook-timestamp", timestamp, "webhook-signature", signature)), BODY,
                Instant.ofEpochSecond(NOW));
    }

    private static String v1(byte[] key, long timestamp) {
        byte[] mac = new Hmac(key).sign((timestamp + ".").getBytes(StandardCharsets.US_ASCII), BODY);
        return "v1:" + Base64.getEncoder().encodeToString(mac);
    }

    @Test
    void aZocdocV1SignatureDoesNotPassAsAHexSignatureOverItsSignedContent() {
        String literal = "a literal webhook secret, not base64!";
        byte[] signedContent = (NOW + "." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        byte[] mac = new Hmac(literal.getBytes(StandardCharsets.UTF_8)).sign(signedContent);
        assertTrue(zocdoc(List.of(literal), Long.toString(NOW), "v1:" + Base64.getEncoder().encodeToString(mac)).valid(),
                "the zocdoc-v1 signature itself is good");
        Verdict crossed = new HexSignature(List.of(literal)).verify(
                headers(Map.of("X-Zocdoc-Signature", "sha256=" + java.util.HexFormat.of().formatHex(mac))), signedContent,
                Instant.ofEpochSecond(NOW));
        assertFalse(crossed.valid(), "one key, two schemes: what one signs must not verify under the other");
    }

    @Test
    void githubPublishedVectorVerifiesWithTheHexScheme() {
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertEquals(expected, HexSignature.sign("It's a Secret to Everybody", body));
        HexSignature scheme = new HexSignature(List.of("It's a Secret to Everybody"));
        assertTrue(scheme.verify(headers(Map.of("X-Zocdoc-Signature", expected)), body, Instant.EPOCH).valid());
        String bare = expected.substring("sha256=".length());
        assertTrue(scheme.verify(headers(Map.of("X-Webhook-Signature", bare)), body, Instant.EPOCH).valid());
        assertTrue(scheme.verify(headers(Map.of("x-zocdoc-signature", expected.toUpperCase().replace("SHA256=", "sha256="))),
                body, Instant.EPOCH).valid(), "hex digits are case-insensitive");
    }

    @Test
    void standardWebhooksPublishedVectorMatchesOurHmacWithDecodedKey() {
        byte[] key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] signed = "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        assertEquals("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                Base64.getEncoder().encodeToString(new Hmac(key).sign(signed)));
    }

    @Test
    void zocdocV1AcceptsTheSandboxKeyDecodedOrLiteral() {
        byte[] decoded = Base64.getDecoder().decode(SANDBOX_KEY);
        byte[] literal = SANDBOX_KEY.getBytes(StandardCharsets.UTF_8);
        assertTrue(zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), v1(decoded, NOW)).valid());
        assertTrue(zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), v1(literal, NOW)).valid());
        assertEquals(v1(decoded, NOW), ZocdocV1Signature.sign(SANDBOX_KEY, NOW, BODY));
    }

    @Test
    void zocdocV1AcceptsAnyOfSeveralSignaturesAndIgnoresOtherVersions() {
        byte[] key = Base64.getDecoder().decode(SANDBOX_KEY);
        String good = v1(key, NOW);
        String wrong = v1("other".getBytes(StandardCharsets.UTF_8), NOW);
        assertTrue(zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), wrong + ";" + good).valid());
        assertTrue(zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), "v2:abcd;" + good).valid());
        assertTrue(zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), wrong + " " + good).valid());
        assertTrue(zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), good.replace("v1:", "v1,")).valid());
        assertFalse(zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), good.replace("v1:", "v2:")).valid());
    }

    @Test
    void everyConfiguredSecretIsAcceptedForRotation() {
        String next = Base64.getEncoder().encodeToString("next key of thirty-two bytes....".getBytes(StandardCharsets.UTF_8));
        String signedWithNext = v1(Base64.getDecoder().decode(next), NOW);
        assertTrue(zocdoc(List.of(SANDBOX_KEY, next), Long.toString(NOW), signedWithNext).valid());
        assertFalse(zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), signedWithNext).valid());
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        HexSignature hex = new HexSignature(List.of("old", "new"));
        assertTrue(hex.verify(headers(Map.of("X-Zocdoc-Signature", HexSignature.sign("new", body))), body, Instant.EPOCH).valid());
    }

    @Test
    void timestampToleranceIsExactOnBothSides() {
        byte[] key = Base64.getDecoder().decode(SANDBOX_KEY);
        for (long skew : new long[] {-300, 300}) {
            long timestamp = NOW + skew;
            assertTrue(zocdoc(List.of(SANDBOX_KEY), Long.toString(timestamp), v1(key, timestamp)).valid(), "skew " + skew);
        }
        for (long skew : new long[] {-301, 301}) {
            long timestamp = NOW + skew;
            Verdict verdict = zocdoc(List.of(SANDBOX_KEY), Long.toString(timestamp), v1(key, timestamp));
            assertFalse(verdict.valid(), "skew " + skew);
            assertEquals("webhook-timestamp outside tolerance", verdict.reason());
        }
    }

    @Test
    void malformedInputFailsWithAPreciseInternalReason() {
        byte[] key = Base64.getDecoder().decode(SANDBOX_KEY);
        assertEquals("malformed webhook-timestamp", zocdoc(List.of(SANDBOX_KEY), "17e8", v1(key, NOW)).reason());
        assertEquals("malformed webhook-timestamp", zocdoc(List.of(SANDBOX_KEY), "", v1(key, NOW)).reason());
        assertEquals("no v1 signature in webhook-signature", zocdoc(List.of(SANDBOX_KEY), Long.toString(NOW), "v1:%%%").reason());
        assertEquals("signature mismatch", zocdoc(List.of("c2VjcmV0"), Long.toString(NOW), v1(key, NOW)).reason());
        Verdict missing = new ZocdocV1Signature(List.of(SANDBOX_KEY), 300)
                .verify(headers(Map.of("webhook-timestamp", "1")), BODY, Instant.ofEpochSecond(NOW));
        assertEquals("webhook-timestamp or webhook-signature missing", missing.reason());
    }

    @Test
    void verifierTriesOnlySchemesWhoseHeadersArePresent() {
        WebhookVerifier verifier = new WebhookVerifier(List.of(new ZocdocV1Signature(List.of(SANDBOX_KEY), 300),
                new HexSignature(List.of(SANDBOX_KEY))), java.time.Clock.fixed(Instant.ofEpochSecond(NOW), java.time.ZoneOffset.UTC));
        assertEquals("no signature header", verifier.verify(headers(Map.of()), BODY).reason());
        Verdict hex = verifier.verify(headers(Map.of("X-Zocdoc-Signature", HexSignature.sign(SANDBOX_KEY, BODY))), BODY);
        assertTrue(hex.valid());
        assertEquals("hex", hex.scheme());
        WebhookVerifier onlyV1 = new WebhookVerifier(List.of(new ZocdocV1Signature(List.of(SANDBOX_KEY), 300)),
                java.time.Clock.fixed(Instant.ofEpochSecond(NOW), java.time.ZoneOffset.UTC));
        assertFalse(onlyV1.verify(headers(Map.of("X-Zocdoc-Signature", HexSignature.sign(SANDBOX_KEY, BODY))), BODY).valid(),
                "a disabled scheme must not verify");
    }
}
