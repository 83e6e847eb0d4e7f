package clinicrelay.cli;

import clinicrelay.app.ConfigChecks;
import clinicrelay.app.CredentialProbes;
import clinicrelay.channel.ProbeResult;
import clinicrelay.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code check-config [--probe] [--env-file F] [--credentials-dir D]}: prints every setting
 * as read (secrets only as present/missing with their length and origin), then the very
 * checks serve runs at start ({@link ConfigChecks}); exit 1 when serve would refuse. The
 * Zocdoc token is always asked for; {@code --probe} also asks Twilio and SendGrid whether
 * their credentials work. The two options read settings the way the systemd unit hands
 * them over, so an operator can check the real set-up by hand.
 */
final class CheckConfigCommand {
    /** A settings file longer than this is not one. */
    static final int ENV_FILE_BYTES_MAX = 256 * 1024;

    private CheckConfigCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> settings = new HashMap<>(env);
        boolean probe = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            boolean hasValue = i + 1 < args.length;
            if ("--probe".equals(arg)) {
                probe = true;
            } else if ("--credentials-dir".equals(arg) && hasValue) {
                settings.put("CREDENTIALS_DIRECTORY", args[++i]);
            } else if ("--env-file".equals(arg) && hasValue) {
                try {
                    settings.putAll(readEnvFile(Path.of(args[++i])));
                } catch (IOException | IllegalArgumentException unreadable) {
                    err.println("clinic-relay: --env-file " + args[i] + ": " + unreadable.getMessage());
                    return CommandLine.USAGE;
                }
            } else {
                err.println("clinic-relay: check-config: unknown option '" + arg + "'"
                        + " (known: --probe, --env-file FILE, --credentials-dir DIR)");
                return CommandLine.USAGE;
            }
        }
        return check(Config.inspect(settings), probe, out);
    }

    private static int check(Config config, boolean probeAll, PrintStream out) {
        out.println("clinic-relay configuration:");
        for (Map.Entry<String, String> entry : config.reportInOrder()) {
            out.println(String.format(Locale.ROOT, "  %-36s %s", entry.getKey(), entry.getValue()));
        }
        ConfigChecks.Findings findings = ConfigChecks.of(config);
        findings.problems().forEach(problem -> out.println("problem: " + problem));
        findings.warnings().forEach(warning -> out.println("warning: " + warning));
        boolean ok = findings.ok();
        try {
            for (ProbeResult result : CredentialProbes.run(config, clinicrelay.channel.HttpAnswers.newClient())) {
                if (probeAll || "zocdoc".equals(result.service()) || "salesforce".equals(result.service())) {
                    // A refusal stops the messages; a provider out of reach now does not stop serve.
                    out.println((result.ok() ? "" : result.refused() ? "problem: " : "warning: ") + result.message());
                    ok &= !result.refused();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandLine.FAILED;
        }
        if (!probeAll && (config.twilioConfigured() || config.sendgridConfigured())) {
            out.println("(add --probe to ask Twilio and SendGrid whether these credentials work; nothing is sent)");
        }
        out.println(ok ? "configuration OK" : "configuration has problems");
        return ok ? CommandLine.OK : CommandLine.FAILED;
    }

    /**
     * A systemd EnvironmentFile: {@code NAME=value} lines, {@code #} comments, values
     * optionally in single or double quotes. Enough for the files the README shows.
     */
    static Map<String, String> readEnvFile(Path file) throws IOException {
        if (Files.size(file) > ENV_FILE_BYTES_MAX) {
            throw new IllegalArgumentException("larger than " + ENV_FILE_BYTES_MAX + " bytes");
        }
        Map<String, String> settings = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("line " + (n + 1) + " is not NAME=value");
            }
            String value = line.substring(equals + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1);
            }
            settings.put(line.substring(0, equals).strip(), value);
        }
        return settings;
    }
}
