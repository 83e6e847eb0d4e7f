package clinicrelay.forward;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One place events are forwarded to. Its id is derived from the address (a hash, since a
 * receiver's URL may carry a token in its path), so the cursor journaled under it follows
 * the same receiver across restarts and reorderings of FORWARD_URLS, and a changed URL is
 * a new receiver. Logs, metrics and pages name it by id and origin only.
 *
 * @param topic the Kafka topic, null for a webhook receiver
 */
public record ForwardTarget(String id, Kind kind, URI url, String topic) {
    /** Hex characters of the address hash in an id: collisions among eight receivers are out of reach. */
    static final int ID_HASH_CHARS = 12;

    public enum Kind { WEBHOOK, KAFKA }

    public static ForwardTarget webhook(URI url) {
        return new ForwardTarget("hook-" + hash(url.toString(), ID_HASH_CHARS), Kind.WEBHOOK, url, null);
    }

    public static ForwardTarget kafka(URI restUrl, String topic) {
        return new ForwardTarget("kafka-" + hash(restUrl + "#" + topic, ID_HASH_CHARS), Kind.KAFKA, restUrl, topic);
    }

    /** Scheme, host and port: what may be shown (a path or query may be a secret). */
    public String origin() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (topic == null ? "" : " topic " + topic);
    }

    /** The first {@code chars} hex characters of the SHA-256 of {@code text}. */
    static String hash(String text, int chars) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, chars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
        }
    }
}
