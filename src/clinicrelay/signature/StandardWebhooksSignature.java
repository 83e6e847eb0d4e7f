package clinicrelay.signature;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard Webhooks (what Svix, Hookdeck and the reference libraries send): HMAC-SHA256,
 * keyed with the base64 after {@code whsec_}, over {@code <webhook-id>.<webhook-timestamp>.<body>};
 * {@code webhook-signature} lists {@code v1,<base64>} entries separated by spaces (several
 * during a key rotation). The timestamp must be within {@link #TOLERANCE_SECONDS} either
 * side. The id is signed too, so it is what duplicates are found by.
 */
public final class StandardWebhooksSignature implements SignatureScheme {
    public static final String NAME = "standard-webhooks";
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** The reference libraries' five minutes, either side. */
    public static final long TOLERANCE_SECONDS = 300;
    /** Longest webhook-id taken (the spec's ids are a few dozen characters). */
    public static final int ID_CHARS_MAX = 200;

    private final List<Hmac> keys = new ArrayList<>();

    /** @param keys the decoded secrets (base64 after {@code whsec_}), several during a rotation */
    public StandardWebhooksSignature(List<byte[]> keys) {
        for (byte[] key : keys) {
            this.keys.add(new Hmac(key));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean applies(HeaderLookup headers) {
        return headers.first(SIGNATURE_HEADER) != null || headers.first(ID_HEADER) != null;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body, Instant now) {
        String id = headers.first(ID_HEADER);
        String timestamp = headers.first(TIMESTAMP_HEADER);
        String header = headers.first(SIGNATURE_HEADER);
        if (id == null || timestamp == null || header == null) {
            return Verdict.invalid(NAME, "webhook-id, webhook-timestamp or webhook-signature missing");
        }
        id = id.strip();
        if (id.isEmpty() || id.length() > ID_CHARS_MAX) {
            return Verdict.invalid(NAME, "malformed webhook-id");
        }
        return TimestampedHmac.verify(NAME, keys, id + ".", timestamp, header, body, now, TOLERANCE_SECONDS);
    }

    /** The signature a sender puts in webhook-signature, for one key (send-test and tests). */
    public static String sign(byte[] key, String id, long timestamp, byte[] body) {
        byte[] mac = new Hmac(key).sign((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        return "v1," + java.util.Base64.getEncoder().encodeToString(mac);
    }
}
