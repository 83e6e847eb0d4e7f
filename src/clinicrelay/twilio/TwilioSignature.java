package clinicrelay.twilio;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's {@code X-Twilio-Signature} (docs/providers.md "Twilio", checked against twilio-java's
 * RequestValidator): Base64 of HMAC-SHA1, keyed with the auth token, over the full URL
 * Twilio called followed by each POST parameter's name and value, names in ordinal
 * order, a repeated name once per value, its values in ordinal order (twilio-node,
 * twilio-python). Like the SDKs, the URL is tried as configured, with and without its
 * default port, and with any port removed (Twilio may leave a non-default port out of
 * what it signs). The URL is built from PUBLIC_BASE_URL, never from the Host header,
 * which a client controls.
 */
final class TwilioSignature {
    private final byte[] authToken;

    public TwilioSignature(String authToken) {
        this.authToken = authToken.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isValid(String url, Map<String, String> params, String signature) {
        return isValidForAll(url, single(params), signature);
    }

    /** Like {@link #isValid}, with every value of a repeated field. */
    public boolean isValidForAll(String url, Map<String, List<String>> params, String signature) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        byte[] given = signature.strip().getBytes(StandardCharsets.US_ASCII);
        boolean valid = false;
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(url);
        candidates.add(withOrWithoutDefaultPort(url));
        candidates.add(withoutPort(url));
        for (String candidate : candidates) {
            if (candidate != null) {
                valid |= MessageDigest.isEqual(given, signAll(candidate, params).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return valid;
    }

    public String sign(String url, Map<String, String> params) {
        return signAll(url, single(params));
    }

    private static Map<String, List<String>> single(Map<String, String> params) {
        Map<String, List<String>> all = new TreeMap<>();
        params.forEach((name, value) -> all.put(name, List.of(value)));
        return all;
    }

    String signAll(String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, List<String>> param : new TreeMap<>(params).entrySet()) {
            param.getValue().stream().sorted().forEach(value -> data.append(param.getKey()).append(value));
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable in this JDK", e);
        }
    }

    /** The URL without any port; null when it has none. */
    static String withoutPort(String url) {
        URI uri = URI.create(url);
        if (uri.getPort() == -1 || uri.getHost() == null) {
            return null;
        }
        String authority = uri.getRawAuthority();
        String rest = url.substring(url.indexOf(authority) + authority.length());
        return uri.getScheme() + "://" + authority.substring(0, authority.lastIndexOf(':')) + rest;
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
