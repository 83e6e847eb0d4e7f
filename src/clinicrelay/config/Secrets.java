package clinicrelay.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads secrets from {@code $CREDENTIALS_DIRECTORY/<NAME>} (systemd {@code LoadCredential=})
 * or, failing that, from the environment. The file wins: it is the safer channel (not
 * visible in /proc/PID/environ, not inherited by child processes).
 */
public final class Secrets {
    /** Every variable we treat as a secret: never printed, only its presence and length. */
    public static final List<String> NAMES = List.of(
            "ZOCDOC_WEBHOOK_SECRET", "ZOCDOC_CLIENT_SECRET", "TWILIO_AUTH_TOKEN", "SENDGRID_API_KEY",
            "DASHBOARD_PASSWORD", "PHI_ENCRYPTION_KEY", "TLS_KEYSTORE_PASSWORD",
            "PHI_ENCRYPTION_KEY_PREVIOUS", "METRICS_TOKEN", "ALERT_WEBHOOK_URL", "SALESFORCE_CLIENT_SECRET",
            "STANDARD_WEBHOOK_SECRET", "FORWARD_SECRET", "FORWARD_KAFKA_PASSWORD");
    /** A credential file larger than this is not a secret but a mistake. */
    static final int SECRET_FILE_BYTES_MAX = 64 * 1024;

    /** A secret and where it came from (for check-config). */
    public record Secret(String value, String origin) {
    }

    private final Map<String, String> env;

    public Secrets(Map<String, String> env) {
        this.env = env;
    }

    /** @return the secret, or null when unset or blank in both places */
    public Secret read(String name) throws ConfigException {
        String credentialsDirectory = env.get("CREDENTIALS_DIRECTORY");
        if (credentialsDirectory != null && !credentialsDirectory.isBlank()) {
            Path file = Path.of(credentialsDirectory, name);
            if (Files.isRegularFile(file)) {
                return new Secret(readFile(name, file), "$CREDENTIALS_DIRECTORY/" + name);
            }
        }
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        return new Secret(value.strip(), "environment");
    }

    private static String readFile(String name, Path file) throws ConfigException {
        try {
            if (Files.size(file) > SECRET_FILE_BYTES_MAX) {
                throw new ConfigException(name + ": credential file " + file + " is larger than "
                        + SECRET_FILE_BYTES_MAX + " bytes");
            }
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read credential file " + file + ": " + e.getMessage());
        }
    }
}
