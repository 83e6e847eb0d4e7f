package clinicrelay.signature;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Zocdoc's documented scheme, {@code zocdoc-v1}: headers {@code webhook-timestamp} (unix
 * seconds) and {@code webhook-signature: v1:<base64>[;v1:<base64>...]}, HMAC-SHA256 over
 * {@code <timestamp>.<raw body>}.
 *
 * <p>Zocdoc hands out the key base64-encoded and does not say whether the HMAC key is the
 * decoded bytes or the string itself, so both are tried (decoded first). The header
 * grammar is only known second-hand, so entries may be separated by {@code ;} or spaces
 * and the version by {@code :} or {@code ,}; entries of other versions are ignored.
 * The timestamp must be within the tolerance of now, either side, which bounds replays.
 */
public final class ZocdocV1Signature implements SignatureScheme {
    public static final String NAME = "zocdoc-v1";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private final List<Hmac> keys = new ArrayList<>();
    private final long toleranceSeconds;

    public ZocdocV1Signature(List<String> secrets, long toleranceSeconds) {
        for (String secret : secrets) {
            byte[] decoded = TimestampedHmac.decodeBase64OrNull(secret);
            if (decoded != null && decoded.length > 0) {
                keys.add(new Hmac(decoded));
            }
            keys.add(new Hmac(secret.getBytes(StandardCharsets.UTF_8)));
        }
        this.toleranceSeconds = toleranceSeconds;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean applies(HeaderLookup headers) {
        return headers.first(SIGNATURE_HEADER) != null || headers.first(TIMESTAMP_HEADER) != null;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body, Instant now) {
        String timestamp = headers.first(TIMESTAMP_HEADER);
        String header = headers.first(SIGNATURE_HEADER);
        if (timestamp == null || header == null) {
            return Verdict.invalid(NAME, "webhook-timestamp or webhook-signature missing");
        }
        return TimestampedHmac.verify(NAME, keys, "", timestamp, header, body, now, toleranceSeconds);
    }

    /** Signs like Zocdoc does (for send-test and tests): {@code v1:<base64>} with the key as given. */
    public static String sign(String secret, long timestamp, byte[] body) {
        byte[] decoded = TimestampedHmac.decodeBase64OrNull(secret);
        Hmac key = new Hmac(decoded != null && decoded.length > 0 ? decoded : secret.getBytes(StandardCharsets.UTF_8));
        byte[] mac = key.sign((timestamp + ".").getBytes(StandardCharsets.US_ASCII), body);
        return "v1:" + Base64.getEncoder().encodeToString(mac);
    }

}
