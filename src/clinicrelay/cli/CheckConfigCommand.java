package clinicrelay.cli;

import clinicrelay.config.Config;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * {@code check-config}: prints every setting as read (secrets only as present/missing
 * with their length and origin) and every problem; exit 1 when serve would refuse.
 */
final class CheckConfigCommand {
    private CheckConfigCommand() {
    }

    static int run(Map<String, String> env, PrintStream out) {
        Config config = Config.inspect(env);
        out.println("clinic-relay configuration:");
        for (Map.Entry<String, String> entry : config.reportInOrder()) {
            out.println(String.format(Locale.ROOT, "  %-36s %s", entry.getKey(), entry.getValue()));
        }
        boolean ok = config.problems().isEmpty() && !config.webhookSecrets.isEmpty();
        if (config.webhookSecrets.isEmpty()) {
            out.println("problem: ZOCDOC_WEBHOOK_SECRET is missing; serve will not start without it");
        }
        for (String problem : config.problems()) {
            out.println("problem: " + problem);
        }
        if (config.zocdocApiConfigured && config.smsConsent == clinicrelay.delivery.SmsConsent.REQUIRED) {
            out.println("warning: SMS_CONSENT=required with the Zocdoc API: Zocdoc carries no consent flag, so its patients"
                    + " get no texts (set SMS_CONSENT=assumed if your consent policy covers appointment texts)");
        }
        if (config.phiEncryptionKey == null) {
            out.println("warning: PHI_ENCRYPTION_KEY is missing; patient data in the journal will not be encrypted");
        }
        out.println(ok ? "configuration OK" : "configuration has problems");
        return ok ? CommandLine.OK : CommandLine.FAILED;
    }
}
