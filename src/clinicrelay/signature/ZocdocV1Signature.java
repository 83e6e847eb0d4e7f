package clinicrelay.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
    /** Longest timestamp header accepted: unix seconds have 10 digits until 2286. */
    static final int TIMESTAMP_CHARS_MAX = 12;
    /** Most signatures read from one header; rotation needs two, more is noise or abuse. */
    static final int SIGNATURES_PER_HEADER_MAX = 8;

    private final List<Hmac> keys = new ArrayList<>();
    private final long toleranceSeconds;

    public ZocdocV1Signature(List<String> secrets, long toleranceSeconds) {
        for (String secret : secrets) {
            byte[] decoded = decodeBase64OrNull(secret);
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
        timestamp = timestamp.strip();
        if (timestamp.isEmpty() || timestamp.length() > TIMESTAMP_CHARS_MAX || !allDigits(timestamp)) {
            return Verdict.invalid(NAME, "malformed webhook-timestamp");
        }
        long seconds = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - seconds) > toleranceSeconds) {
            return Verdict.invalid(NAME, "webhook-timestamp outside tolerance");
        }
        List<byte[]> candidates = parseSignatures(header);
        if (candidates.isEmpty()) {
            return Verdict.invalid(NAME, "no v1 signature in webhook-signature");
        }
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        for (Hmac key : keys) {
            byte[] expected = key.sign(prefix, body);
            for (byte[] candidate : candidates) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return Verdict.valid(NAME);
                }
            }
        }
        return Verdict.invalid(NAME, "signature mismatch");
    }

    /** The decoded v1 signatures in the header; entries end at ';' or whitespace. */
    static List<byte[]> parseSignatures(String header) {
        List<byte[]> signatures = new ArrayList<>(2);
        int n = header.length();
        int start = 0;
        while (start < n && signatures.size() < SIGNATURES_PER_HEADER_MAX) {
            int end = start;
            while (end < n && !isSeparator(header.charAt(end))) {
                end++;
            }
            if (end - start > 3 && header.startsWith("v1", start)
                    && (header.charAt(start + 2) == ':' || header.charAt(start + 2) == ',')) {
                byte[] decoded = decodeBase64OrNull(header.substring(start + 3, end));
                if (decoded != null && decoded.length == Hmac.SHA256_BYTES) {
                    signatures.add(decoded);
                }
            }
            start = end + 1;
        }
        return signatures;
    }

    private static boolean isSeparator(char c) {
        return c == ';' || Character.isWhitespace(c);
    }

    static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Signs like Zocdoc does (for send-test and tests): {@code v1:<base64>} with the key as given. */
    public static String sign(String secret, long timestamp, byte[] body) {
        byte[] decoded = decodeBase64OrNull(secret);
        Hmac key = new Hmac(decoded != null && decoded.length > 0 ? decoded : secret.getBytes(StandardCharsets.UTF_8));
        byte[] mac = key.sign((timestamp + ".").getBytes(StandardCharsets.US_ASCII), body);
        return "v1:" + Base64.getEncoder().encodeToString(mac);
    }

    static byte[] decodeBase64OrNull(String text) {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
