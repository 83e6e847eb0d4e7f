package clinicrelay.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Signs an outgoing request the Standard Webhooks way: {@code webhook-signature} is
 * {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>}, one entry per key, separated by a
 * space, so a receiver holding either secret during a rotation accepts it.
 */
public final class StandardWebhooksSigner {
    private final List<Hmac> keys;

    /** @param keys the secrets' decoded bytes, at least one */
    public StandardWebhooksSigner(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a signer needs a key");
        }
        this.keys = keys.stream().map(Hmac::new).toList();
    }

    /** The {@code webhook-signature} value for {@code body} sent as {@code id} at {@code timestamp} (unix seconds). */
    public String sign(String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(keys.size() * 48);
        for (Hmac key : keys) {
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(key.sign(prefix, body)));
        }
        return header.toString();
    }
}
