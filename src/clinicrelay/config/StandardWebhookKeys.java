package clinicrelay.config;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Standard Webhooks secret setting (STANDARD_WEBHOOK_SECRET to verify, FORWARD_SECRET to
 * sign): one or more secrets, comma-separated during a rotation, each written {@code whsec_<base64>} as the senders show them; the key is the
 * decoded base64, 24 to 64 bytes as the specification has it.
 */
final class StandardWebhookKeys {
    static final String PREFIX = "whsec_";
    static final int KEY_BYTES_MIN = 24;
    static final int KEY_BYTES_MAX = 64;

    private StandardWebhookKeys() {
    }

    /** @throws IllegalArgumentException naming what is wrong (never the secret) */
    static List<byte[]> parse(String name, String value) {
        List<byte[]> keys = new ArrayList<>();
        for (String part : value.split(",")) {
            String secret = part.strip();
            if (secret.isEmpty()) {
                continue;
            }
            if (!secret.startsWith(PREFIX)) {
                throw new IllegalArgumentException(name + ": each secret starts with whsec_, as the sender"
                        + " shows it");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException(name + ": the part after whsec_ is not base64");
            }
            if (key.length < KEY_BYTES_MIN || key.length > KEY_BYTES_MAX) {
                throw new IllegalArgumentException(name + ": a key is " + key.length + " bytes; Standard"
                        + " Webhooks keys are " + KEY_BYTES_MIN + " to " + KEY_BYTES_MAX);
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(name + " is set but holds no secret");
        }
        return keys;
    }
}
