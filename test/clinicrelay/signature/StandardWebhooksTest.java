package clinicrelay.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signatures, checked against the specification's published test vector. */
class StandardWebhooksTest {
    /** The reference libraries' vector: secret, id, timestamp, body and the signature they produce. */
    private static final byte[] KEY = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static HeaderLookup headers(String id, long timestamp, String signature) {
        Map<String, String> map = Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", signature);
        return map::get;
    }

    @Test
    void thePublishedVectorSignsAndVerifies() {
        assertEquals(SIGNATURE, StandardWebhooksSignature.sign(KEY, ID, TIMESTAMP, BODY));
        StandardWebhooksSignature scheme = new StandardWebhooksSignature(List.of(KEY));
        assertTrue(scheme.verify(headers(ID, TIMESTAMP, SIGNATURE), BODY, Instant.ofEpochSecond(TIMESTAMP)).valid());
    }

    @Test
    void theIdTheTimeAndTheBodyAreAllSigned() {
        StandardWebhooksSignature scheme = new StandardWebhooksSignature(List.of(KEY));
        Instant now = Instant.ofEpochSecond(TIMESTAMP);
        assertFalse(scheme.verify(headers("msg_other", TIMESTAMP, SIGNATURE), BODY, now).valid(), "another id");
        assertFalse(scheme.verify(headers(ID, TIMESTAMP + 1, SIGNATURE), BODY, now).valid(), "another time");
        assertFalse(scheme.verify(headers(ID, TIMESTAMP, SIGNATURE), "{\"test\": 1}".getBytes(StandardCharsets.UTF_8), now)
                .valid(), "another body");
        assertEquals("webhook-timestamp outside tolerance", scheme.verify(headers(ID, TIMESTAMP, SIGNATURE), BODY,
                now.plusSeconds(301)).reason());
        assertTrue(scheme.verify(headers(ID, TIMESTAMP, SIGNATURE), BODY, now.minusSeconds(300)).valid(), "300 s either side");
    }

    @Test
    void duringARotationAnyListedV1SignatureFromAnyKeyIsAccepted() {
        byte[] oldKey = Base64.getDecoder().decode("c2VjcmV0LWtleS1mb3ItdGhlLW9sZC1yb3RhdGlvbg==");
        StandardWebhooksSignature scheme = new StandardWebhooksSignature(List.of(oldKey, KEY));
        String both = "v1a,bm90LWFuLWhtYWM= v1," + Base64.getEncoder().encodeToString(new byte[32]) + " " + SIGNATURE;
        assertTrue(scheme.verify(headers(ID, TIMESTAMP, both), BODY, Instant.ofEpochSecond(TIMESTAMP)).valid());
        StandardWebhooksSignature oldOnly = new StandardWebhooksSignature(List.of(oldKey));
        assertEquals("signature mismatch", oldOnly.verify(headers(ID, TIMESTAMP, both), BODY,
                Instant.ofEpochSecond(TIMESTAMP)).reason());
    }
}
