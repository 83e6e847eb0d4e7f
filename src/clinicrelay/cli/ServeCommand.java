package clinicrelay.cli;

import clinicrelay.app.ConfigChecks;
import clinicrelay.app.Lifeline;
import clinicrelay.app.Relay;
import clinicrelay.config.Config;
import clinicrelay.config.ConfigException;
import clinicrelay.journal.PhiCipher;
import clinicrelay.journal.PrivateFiles;
import clinicrelay.log.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code serve} (production) and {@code demo} (make run): start the relay and keep it running. */
final class ServeCommand {
    static final String DEMO_SECRET_FILE = "demo-secret";
    static final String DEMO_DASHBOARD_PASSWORD_FILE = "demo-dashboard-password";
    static final String DEMO_PHI_KEY_FILE = "demo-phi-key";
    /** A demo secret as strong as a production one: 256 random bits. */
    private static final int DEMO_SECRET_BYTES = 32;

    private ServeCommand() {
    }

    static int serve(Map<String, String> env, PrintStream err, Log log) {
        Lifeline.install(log, System::exit);
        Config config;
        try {
            config = Config.load(env);
        } catch (ConfigException problems) {
            err.println("clinic-relay: not starting, configuration problems:");
            err.println(problems.getMessage());
            return CommandLine.USAGE;
        }
        ConfigChecks.Findings findings = ConfigChecks.of(config);
        if (!findings.ok()) {
            err.println("clinic-relay: not starting: " + String.join("\n", findings.problems()));
            return CommandLine.FAILED;
        }
        Relay relay;
        try {
            relay = Relay.start(config, Relay.Options.defaults(log));
        } catch (Relay.StartupException refused) {
            err.println("clinic-relay: not starting: " + refused.getMessage());
            return CommandLine.FAILED;
        } catch (IOException e) {
            err.println("clinic-relay: not starting: " + e.getMessage());
            return CommandLine.FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "shutdown"));
        return CommandLine.KEEP_RUNNING;
    }

    /**
     * Demo mode: loopback only, data in ./data, a generated webhook secret kept in
     * data/demo-secret (0600) and printed once, a generated PHI key in data/demo-phi-key
     * (0600, never printed), messages to the dry-run outbox.
     */
    static int demo(Map<String, String> env, PrintStream out, PrintStream err, Log log) {
        Map<String, String> demoEnv = new HashMap<>(env);
        Path dataDir = Path.of(env.getOrDefault("DATA_DIR", "./data"));
        String secret;
        String dashboardPassword;
        try {
            secret = demoSecret(dataDir, out);
            dashboardPassword = env.containsKey("DASHBOARD_PASSWORD") ? null : kept(dataDir, DEMO_DASHBOARD_PASSWORD_FILE,
                    () -> randomBase64(DEMO_SECRET_BYTES / 2, Base64.getUrlEncoder().withoutPadding()));
            if (!env.containsKey("PHI_ENCRYPTION_KEY") && !env.containsKey("PHI_ENCRYPTION")) {
                // Patient data is encrypted in the demo as in production, under a key of its own.
                demoEnv.put("PHI_ENCRYPTION_KEY", kept(dataDir, DEMO_PHI_KEY_FILE,
                        () -> randomBase64(PhiCipher.KEY_BYTES, Base64.getEncoder())));
            }
        } catch (IOException e) {
            err.println("clinic-relay: cannot prepare demo data in " + dataDir + ": " + e.getMessage());
            return CommandLine.FAILED;
        }
        demoEnv.put("DATA_DIR", dataDir.toString());
        demoEnv.put("BIND_ADDRESS", "127.0.0.1");
        demoEnv.put("ZOCDOC_WEBHOOK_SECRET", secret);
        demoEnv.put("DRY_RUN", "true");
        // A demo tried in the evening must still show its confirmation text: quiet hours are
        // off unless asked for (production keeps its 21:00-08:00 default).
        demoEnv.putIfAbsent("QUIET_HOURS", "off");
        demoEnv.remove("CREDENTIALS_DIRECTORY");
        if (dashboardPassword != null) {
            demoEnv.put("DASHBOARD_PASSWORD", dashboardPassword);
        }
        String port = demoEnv.getOrDefault("PORT", "3000");
        out.println("clinic-relay demo: http://127.0.0.1:" + port + "  (data in " + dataDir + ", messages to "
                + dataDir.resolve("outbox.jsonl") + " instead of Twilio/SendGrid; read them with"
                + " java -jar build/clinic-relay.jar outbox --no-redact)");
        out.println("Send a test event from another terminal:");
        out.println("    java -jar build/clinic-relay.jar send-test" + ("3000".equals(port) ? "" : " --url http://127.0.0.1:" + port + "/webhook"));
        out.println("Check it:  curl -s http://127.0.0.1:" + port + "/health");
        if (dashboardPassword != null) {
            out.println("Dashboard: http://127.0.0.1:" + port + "/dashboard  (user admin, password in "
                    + dataDir.resolve(DEMO_DASHBOARD_PASSWORD_FILE) + ")");
        }
        out.flush();
        return serve(demoEnv, err, log);
    }

    /** A value kept in {@code data/<fileName>} (0600): read back, or made by {@code fresh} and written once. */
    private static String kept(Path dataDir, String fileName, Supplier<String> fresh) throws IOException {
        PrivateFiles.directory(dataDir);
        Path file = dataDir.resolve(fileName);
        if (Files.isRegularFile(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String value = fresh.get();
        PrivateFiles.writeAtomically(file, (value + "\n").getBytes(StandardCharsets.UTF_8));
        return value;
    }

    private static String randomBase64(int bytes, Base64.Encoder encoder) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return encoder.encodeToString(random);
    }

    private static String demoSecret(Path dataDir, PrintStream out) throws IOException {
        boolean existed = Files.isRegularFile(dataDir.resolve(DEMO_SECRET_FILE));
        String secret = kept(dataDir, DEMO_SECRET_FILE, () -> randomBase64(DEMO_SECRET_BYTES, Base64.getEncoder()));
        if (existed) {
            out.println("Using the demo webhook secret in " + dataDir.resolve(DEMO_SECRET_FILE));
        } else {
            out.println("Generated a demo webhook secret, saved to " + dataDir.resolve(DEMO_SECRET_FILE) + " (0600); shown this once:");
            out.println("    " + secret);
        }
        return secret;
    }
}
