package clinicrelay.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outgoing signatures match the published Standard Webhooks vector, and our own verifier takes them. */
class StandardWebhooksSignerTest {
    private static final byte[] KEY = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsThePublishedVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                new StandardWebhooksSigner(List.of(KEY)).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY));
    }

    @Test
    void duringARotationEveryKeySignsAndEitherSecretVerifies() {
        byte[] next = "a-new-key-of-thirty-two-bytes!!!".getBytes(StandardCharsets.UTF_8);
        String header = new StandardWebhooksSigner(List.of(next, KEY)).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY);
        assertEquals(2, header.split(" ").length, header);
        assertTrue(header.endsWith(" v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), header);
        for (byte[] receiverKey : List.of(next, KEY)) {
            Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                    "webhook-timestamp", "1614265330", "webhook-signature", header);
            Verdict verdict = new StandardWebhooksSignature(List.of(receiverKey))
                    .verify(name -> headers.get(name), BODY, Instant.ofEpochSecond(1614265330));
            assertTrue(verdict.valid(), verdict.toString());
        }
    }
}
