package clinicrelay.cli;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.config.Config;
import clinicrelay.zocdoc.ZocdocApi;
import clinicrelay.zocdoc.ZocdocApiException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Clock;
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
        if (config.smsConsent == clinicrelay.config.SmsConsent.REQUIRED) {
            out.println("warning: " + clinicrelay.config.SmsConsent.REQUIRED_WITH_ZOCDOC);
        }
        if (config.zocdocApiConfigured && config.zocdocEnvironment != null) {
            String token = zocdocToken(config);
            ok = ok && token == null;
            out.println(token == null ? "zocdoc api: a token was obtained from " + config.zocdocEnvironment.tokenUrl().getHost()
                    : "problem: zocdoc api: no token (" + token + "); check ZOCDOC_CLIENT_ID, ZOCDOC_CLIENT_SECRET and ZOCDOC_ENV");
        }
        if (config.phiEncryptionKey == null && !config.phiEncryptionOff) {
            ok = false;
            out.println("problem: PHI_ENCRYPTION_KEY is missing; serve will not start without it (or PHI_ENCRYPTION=off)");
        } else if (config.phiEncryptionOff) {
            out.println("warning: PHI_ENCRYPTION=off: patient data in the journal will not be encrypted");
        }
        for (String warning : clinicrelay.app.ChannelsOn.offWarnings(config)) {
            out.println("warning: " + warning);
        }
        for (String warning : clinicrelay.app.Exposure.warnings(config)) {
            out.println("warning: " + warning);
        }
        for (String name : config.undecodableVariables()) {
            out.println("warning: " + name + " holds characters this process could not decode (its locale is not UTF-8):"
                    + " set LANG=C.UTF-8, as the shipped unit does");
        }
        out.println(ok ? "configuration OK" : "configuration has problems");
        return ok ? CommandLine.OK : CommandLine.FAILED;
    }

    /** Asks Zocdoc for a token, never printing it: null when one was obtained, else why not. */
    private static String zocdocToken(Config config) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(HttpAnswers.CONNECT_TIMEOUT).build();
        try {
            new ZocdocApi(http, config.zocdocEnvironment, config.zocdocClientId, config.zocdocClientSecret,
                    Clock.systemUTC()).checkCredentials();
            return null;
        } catch (ZocdocApiException refused) {
            return refused.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
