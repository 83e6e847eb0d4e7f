package clinicrelay.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The check both timestamped HMAC schemes make once their headers are found (zocdoc-v1 and
 * Standard Webhooks): the timestamp is digits and within the tolerance of now, either side;
 * the signature header lists {@code v1} entries; one of them is the HMAC-SHA256, under one
 * of the keys, of {@code <signed prefix><timestamp>.<body>}, compared in constant time.
 */
final class TimestampedHmac {
    /** Longest timestamp header accepted: unix seconds have 10 digits until 2286. */
    static final int TIMESTAMP_CHARS_MAX = 12;
    /** Most signatures read from one header; rotation needs two, more is noise or abuse. */
    static final int SIGNATURES_PER_HEADER_MAX = 8;

    private TimestampedHmac() {
    }

    /** @param signedPrefix what the scheme signs before the timestamp ({@code <webhook-id>.} for Standard Webhooks) */
    static Verdict verify(String scheme, List<Hmac> keys, String signedPrefix, String timestamp, String header, byte[] body,
                          Instant now, long toleranceSeconds) {
        timestamp = timestamp.strip();
        if (timestamp.isEmpty() || timestamp.length() > TIMESTAMP_CHARS_MAX || !allDigits(timestamp)) {
            return Verdict.invalid(scheme, "malformed webhook-timestamp");
        }
        if (Math.abs(now.getEpochSecond() - Long.parseLong(timestamp)) > toleranceSeconds) {
            return Verdict.invalid(scheme, "webhook-timestamp outside tolerance");
        }
        List<byte[]> candidates = parseSignatures(header);
        if (candidates.isEmpty()) {
            return Verdict.invalid(scheme, "no v1 signature in webhook-signature");
        }
        byte[] prefix = (signedPrefix + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        for (Hmac key : keys) {
            byte[] expected = key.sign(prefix, body);
            for (byte[] candidate : candidates) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return Verdict.valid(scheme);
                }
            }
        }
        return Verdict.invalid(scheme, "signature mismatch");
    }

    /**
     * The decoded v1 signatures in the header: entries end at ';' or whitespace, the version
     * is followed by ':' (zocdoc-v1, as second-hand sources write it) or ',' (Standard
     * Webhooks); entries of other versions ({@code v1a}, ...) are skipped.
     */
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

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static byte[] decodeBase64OrNull(String text) {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
