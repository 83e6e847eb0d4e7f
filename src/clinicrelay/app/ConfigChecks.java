package clinicrelay.app;

import clinicrelay.config.Config;
import clinicrelay.config.CredentialShapes;
import clinicrelay.config.SmsConsent;
import clinicrelay.http.TlsContexts;
import clinicrelay.template.TemplateException;
import clinicrelay.template.Templates;
import clinicrelay.zocdoc.ProviderNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every check a configuration must pass, in one place: {@code serve} refuses to start on
 * any problem and logs every warning, {@code check-config} prints both, so the two can
 * never disagree. Looks at the machine (folders, keystore, templates) without changing it.
 */
public final class ConfigChecks {
    static final String NO_WEBHOOK_SECRET = "ZOCDOC_WEBHOOK_SECRET is not set: refusing to start, because without it"
            + " anyone could post fake appointments (set it, or a file of that name in $CREDENTIALS_DIRECTORY)";
    static final String NO_PHI_KEY = "PHI_ENCRYPTION_KEY is not set: refusing to start, because patient data"
            + " would be written to disk in clear (make one with `openssl rand -base64 32`, or set"
            + " PHI_ENCRYPTION=off to accept clear text; see README \"Protecting patient data\")";
    static final String NO_TIMEZONE = "CLINIC_TIMEZONE is not set: times in messages keep each appointment's own"
            + " offset and the dashboard counts days and hours in UTC (set an IANA name such as America/New_York)";
    private static final Set<PosixFilePermission> PRIVATE_FOLDER = PosixFilePermissions.fromString("rwx------");

    /** What stops serve (problems) and what it starts with but should not (warnings). */
    public record Findings(List<String> problems, List<String> warnings) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ConfigChecks() {
    }

    public static Findings of(Config config) {
        List<String> problems = new ArrayList<>(config.problems());
        if (config.webhookSecrets.isEmpty()) {
            problems.add(NO_WEBHOOK_SECRET);
        }
        if (config.phiEncryptionKey == null && !config.phiEncryptionOff) {
            problems.add(NO_PHI_KEY);
        }
        addIfAny(problems, dataDirProblem(config.dataDir));
        addIfAny(problems, keystoreProblem(config));
        addIfAny(problems, templatesProblem(config.templatesDir));
        addIfAny(problems, providersFileProblem(config.providersFile));
        problems.addAll(CredentialShapes.problems(config));
        if (config.alertEmail != null && !config.sendgridConfigured()) {
            problems.add("ALERT_EMAIL is sent through SendGrid: set SENDGRID_API_KEY and SENDGRID_FROM_EMAIL,"
                    + " or use ALERT_WEBHOOK_URL instead");
        }
        return new Findings(List.copyOf(problems), warnings(config));
    }

    /** What serve starts with but an operator should change; logged at WARN on every start. */
    public static List<String> warnings(Config config) {
        List<String> warnings = new ArrayList<>();
        if (config.phiEncryptionOff) {
            warnings.add("PHI_ENCRYPTION=off: patient data in the journal is not encrypted (files are still 0600);"
                    + " see README \"Protecting patient data\"");
        }
        warnings.addAll(ChannelsOn.offWarnings(config));
        if (config.smsConsent == SmsConsent.REQUIRED) {
            warnings.add(SmsConsent.REQUIRED_WITH_ZOCDOC);
        }
        if (!config.dryRun && config.alertEmail == null && config.alertWebhookUrl == null) {
            warnings.add("no ALERT_EMAIL or ALERT_WEBHOOK_URL: nobody is told when credentials fail or messages run out"
                    + " of retries (/health still says \"degraded\")");
        }
        if (config.clinicTimezone == null) {
            warnings.add(NO_TIMEZONE);
        }
        warnings.addAll(Exposure.warnings(config));
        for (String name : config.undecodableVariables()) {
            warnings.add(name + " holds characters this process could not decode (its locale is not UTF-8):"
                    + " set LANG=C.UTF-8, as the shipped unit does");
        }
        return warnings;
    }

    /**
     * The data folder must be private and writable, or creatable: tried for real (a folder
     * made and removed beside it), because a permission check says yes to root even where
     * nothing can be created, as under /proc.
     */
    static String dataDirProblem(Path dir) {
        if (Files.isDirectory(dir)) {
            try {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
                if (!PRIVATE_FOLDER.containsAll(mode)) {
                    return "DATA_DIR " + dir + " is open to other users (" + PosixFilePermissions.toString(mode)
                            + "); it will hold patient data: make it private with chmod 700 " + dir;
                }
                Files.delete(Files.createTempDirectory(dir, ".check-"));
                return null;
            } catch (IOException | UnsupportedOperationException refused) {
                return "DATA_DIR " + dir + " cannot be written by this user: " + reason(refused)
                        + " (under systemd the unit's StateDirectory= owns it; by hand: chown it to the user that runs the relay)";
            }
        }
        if (Files.exists(dir)) {
            return "DATA_DIR " + dir + " exists but is not a folder";
        }
        Path parent = dir.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent)) {
            return "DATA_DIR " + dir + " cannot be created: " + parent + " is not a folder";
        }
        try {
            Files.delete(Files.createTempDirectory(parent, ".clinic-relay-check-"));
            return null;
        } catch (IOException | UnsupportedOperationException refused) {
            return "DATA_DIR " + dir + " cannot be created or written by this user: " + parent + " takes no new folder ("
                    + reason(refused) + "; /proc, /sys and read-only mounts never do). Under systemd the unit's"
                    + " StateDirectory= makes /var/lib/clinic-relay; by hand: mkdir -m 700 a folder this user owns";
        }
    }

    private static String keystoreProblem(Config config) {
        if (config.tlsKeystore == null) {
            return null;
        }
        try {
            TlsContexts.fromPkcs12(config.tlsKeystore, config.tlsKeystorePassword);
            return null;
        } catch (IOException | GeneralSecurityException unusable) {
            return "TLS_KEYSTORE " + config.tlsKeystore + " cannot be used: " + reason(unusable)
                    + " (a PKCS#12 file and its TLS_KEYSTORE_PASSWORD)";
        }
    }

    private static String templatesProblem(Path dir) {
        if (dir == null) {
            return null;
        }
        if (!Files.isDirectory(dir)) {
            return "TEMPLATES_DIR " + dir + " is not a folder this user can read: the built-in wording would be used"
                    + " silently (create it, or unset TEMPLATES_DIR)";
        }
        try {
            Templates.load(dir);
            return null;
        } catch (TemplateException unusable) {
            return unusable.getMessage();
        }
    }

    private static String providersFileProblem(Path file) {
        if (file == null) {
            return null;
        }
        try {
            ProviderNames.readFile(file);
            return null;
        } catch (IOException unreadable) {
            return unreadable.getMessage() != null && unreadable.getMessage().startsWith("PROVIDERS_FILE")
                    ? unreadable.getMessage() : "PROVIDERS_FILE " + file + " cannot be read: " + reason(unreadable);
        }
    }

    /** An exception's reason in words: the JDK's file errors carry the path as their message and the reason apart. */
    static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException files && files.getReason() != null) {
            return files.getReason();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void addIfAny(List<String> list, String item) {
        if (item != null) {
            list.add(item);
        }
    }
}
