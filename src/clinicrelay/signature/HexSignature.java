package clinicrelay.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The tutorials' scheme, {@code hex}: header {@code X-Zocdoc-Signature}, else
 * {@code X-Webhook-Signature}, holding {@code sha256=<hex>} or bare hex of HMAC-SHA256
 * over the raw body, keyed with the secret's bytes (GitHub's scheme, minus the header
 * name). It carries no timestamp, so duplicate detection is the only replay defence. A
 * body that starts like zocdoc-v1's signed content ({@code <digits>.}) is refused, so a
 * zocdoc-v1 signature made with the same secret cannot be borrowed for it.
 */
public final class HexSignature implements SignatureScheme {
    public static final String NAME = "hex";
    public static final String PRIMARY_HEADER = "X-Zocdoc-Signature";
    public static final String FALLBACK_HEADER = "X-Webhook-Signature";
    private static final String PREFIX = "sha256=";

    private final List<Hmac> keys = new ArrayList<>();

    public HexSignature(List<String> secrets) {
        for (String secret : secrets) {
            keys.add(new Hmac(secret.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean applies(HeaderLookup headers) {
        return headerValue(headers) != null;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body, Instant now) {
        String value = headerValue(headers);
        if (value == null) {
            return Verdict.invalid(NAME, "signature header missing");
        }
        value = value.strip();
        if (value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            value = value.substring(PREFIX.length());
        }
        byte[] candidate;
        try {
            candidate = HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException notHex) {
            return Verdict.invalid(NAME, "signature is not hex");
        }
        if (candidate.length != Hmac.SHA256_BYTES) {
            return Verdict.invalid(NAME, "signature has the wrong length");
        }
        if (looksLikeTimestampedContent(body)) {
            // zocdoc-v1 signs "<timestamp>.<body>" with the same secret: such bytes presented as
            // a body here would carry a borrowed signature. A webhook body never starts so.
            return Verdict.invalid(NAME, "body shaped like another scheme's signed content");
        }
        for (Hmac key : keys) {
            if (MessageDigest.isEqual(key.sign(body), candidate)) {
                return Verdict.valid(NAME);
            }
        }
        return Verdict.invalid(NAME, "signature mismatch");
    }

    /** True when the bytes start with ASCII digits and a dot: what zocdoc-v1 signs. */
    static boolean looksLikeTimestampedContent(byte[] body) {
        int digits = 0;
        while (digits < body.length && body[digits] >= '0' && body[digits] <= '9') {
            digits++;
        }
        return digits > 0 && digits < body.length && body[digits] == '.';
    }

    private static String headerValue(HeaderLookup headers) {
        String primary = headers.first(PRIMARY_HEADER);
        return primary != null ? primary : headers.first(FALLBACK_HEADER);
    }

    /** Signs like the tutorial sender (for send-test and tests): {@code sha256=<hex>}. */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(new Hmac(secret.getBytes(StandardCharsets.UTF_8)).sign(body));
    }
}
