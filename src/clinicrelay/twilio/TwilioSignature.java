package clinicrelay.twilio;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's {@code X-Twilio-Signature} (docs/providers.md "Twilio", checked against twilio-java's
 * RequestValidator): Base64 of HMAC-SHA1, keyed with the auth token, over the full URL
 * Twilio called followed by each POST parameter's name and value, names in ordinal
 * order. Like the SDKs, the URL is tried with and without its default port. The URL is
 * built from PUBLIC_BASE_URL, never from the Host header, which a client controls.
 */
final class TwilioSignature {
    private final byte[] authToken;

    public TwilioSignature(String authToken) {
        this.authToken = authToken.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isValid(String url, Map<String, String> params, String signature) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        byte[] given = signature.strip().getBytes(StandardCharsets.US_ASCII);
        boolean valid = MessageDigest.isEqual(given, sign(url, params).getBytes(StandardCharsets.US_ASCII));
        String other = withOrWithoutDefaultPort(url);
        if (other != null) {
            valid |= MessageDigest.isEqual(given, sign(other, params).getBytes(StandardCharsets.US_ASCII));
        }
        return valid;
    }

    public String sign(String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, String> param : new TreeMap<>(params).entrySet()) {
            data.append(param.getKey()).append(param.getValue());
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable in this JDK", e);
        }
    }

    /** The URL with its scheme's default port added when absent, or removed when present; null otherwise. */
    static String withOrWithoutDefaultPort(String url) {
        URI uri = URI.create(url);
        int defaultPort = "https".equals(uri.getScheme()) ? 443 : "http".equals(uri.getScheme()) ? 80 : -1;
        if (defaultPort < 0 || uri.getHost() == null) {
            return null;
        }
        String authority = uri.getRawAuthority();
        String rest = url.substring(url.indexOf(authority) + authority.length());
        String prefix = uri.getScheme() + "://";
        if (uri.getPort() == -1) {
            return prefix + authority + ":" + defaultPort + rest;
        }
        if (uri.getPort() == defaultPort) {
            return prefix + authority.substring(0, authority.lastIndexOf(':')) + rest;
        }
        return null;
    }
}
