package clinicrelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.Journal;
import clinicrelay.testing.Await;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.ChildRelay;
import clinicrelay.testing.Corruption;
import clinicrelay.testing.FakeZocdoc;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestKeys;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sub-commands, run as the jar runs them (in-process, with their own env, out and err). */
class CommandsTest {
    @TempDir
    Path dataDir;


    private static Run run(Map<String, String> env, String... args) {
        return Run.of(env, args);
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dataDir.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void serveRefusesToStartWithoutASecretAndNamesTheVariable() {
        for (Map<String, String> env : List.of(env(), env("ZOCDOC_WEBHOOK_SECRET", "   "), env("ZOCDOC_WEBHOOK_SECRET", " , "))) {
            Run refused = run(env, "serve");
            assertEquals(CommandLine.FAILED, refused.code());
            assertTrue(refused.err().contains("ZOCDOC_WEBHOOK_SECRET is not set: refusing to start"), refused.err());
        }
        assertEquals(CommandLine.FAILED, run(env(), new String[0]).code(), "serve is the default command");
    }

    @Test
    void serveNamesBadSettingsAndTheirValues() {
        Run refused = run(env("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "PORT", "eighty", "ZOCDOC_SIGNATURE_SCHEMES", "md5"), "serve");
        assertEquals(CommandLine.USAGE, refused.code());
        assertTrue(refused.err().contains("PORT=eighty is not a whole number from 0 to 65535"), refused.err());
        assertTrue(refused.err().contains("unknown scheme 'md5'"), refused.err());
    }

    @Test
    void serveRefusesAShortSecretAndADataDirOpenToOthers() throws Exception {
        Run shortSecret = run(env("ZOCDOC_WEBHOOK_SECRET", "tutorial"), "serve");
        assertEquals(CommandLine.USAGE, shortSecret.code());
        assertTrue(shortSecret.err().contains("ZOCDOC_WEBHOOK_SECRET: each secret needs at least 16 characters, one has 8"),
                shortSecret.err());
        assertFalse(shortSecret.err().contains("tutorial"), "the secret itself is never printed");

        Path shared = Files.createDirectories(dataDir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = env("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "PORT", "0");
        env.put("DATA_DIR", shared.toString());
        Run open = run(env, "serve");
        assertEquals(CommandLine.FAILED, open.code());
        assertTrue(open.err().contains("is open to other users (rwxr-xr-x)") && open.err().contains("chmod 700"), open.err());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)), "left as it was");
    }

    @Test
    void aTemplateWithAnUnknownPlaceholderStopsStartUp() throws Exception {
        Path templates = Files.createDirectories(dataDir.resolve("templates"));
        Files.writeString(templates.resolve("reminder.sms.txt"), "Hi {first_name}, about your {diagnosis}");
        Run refused = run(env("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "PORT", "0", "TEMPLATES_DIR", templates.toString()), "serve");
        assertEquals(CommandLine.FAILED, refused.code());
        assertTrue(refused.err().contains("reminder.sms.txt") && refused.err().contains("unknown placeholder {diagnosis}"),
                refused.err());
    }

    @Test
    void checkConfigShowsSecretsAsPresenceAndLengthOnly() {
        Run ok = run(env("ZOCDOC_WEBHOOK_SECRET", "super-secret-value-123", "PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY),
                "check-config");
        assertEquals(CommandLine.OK, ok.code(), ok.out());
        assertTrue(ok.out().contains("present, 22 characters, from environment"), ok.out());
        assertFalse(ok.out().contains("super-secret-value-123"));
        assertTrue(ok.out().contains("TWILIO_AUTH_TOKEN") && ok.out().contains("missing"), ok.out());
        Run missing = run(env(), "check-config");
        assertEquals(CommandLine.FAILED, missing.code());
        assertTrue(missing.out().contains("problem: ZOCDOC_WEBHOOK_SECRET is not set: refusing to start"), missing.out());
        assertTrue(missing.out().contains("problem: PHI_ENCRYPTION_KEY is not set: refusing to start"),
                "check-config says what serve would refuse: " + missing.out());
    }

    @Test
    void checkConfigSaysWhetherAZocdocTokenCanBeObtainedWithoutPrintingIt() throws Exception {
        try (FakeZocdoc zocdoc = FakeZocdoc.start()) {
            Map<String, String> env = env("ZOCDOC_WEBHOOK_SECRET", "super-secret-value-123", "SMS_CONSENT", "assumed",
                    "PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY);
            env.putAll(zocdoc.env());
            Run ok = run(env, "check-config");
            assertEquals(CommandLine.OK, ok.code(), ok.out());
            assertTrue(ok.out().contains("zocdoc api: a token was obtained"), ok.out());
            assertFalse(ok.out().contains("zd-token") || ok.out().contains(FakeZocdoc.CLIENT_SECRET), ok.out());
            env.put("ZOCDOC_CLIENT_SECRET", "not-the-right-secret-0000");
            Run refused = run(env, "check-config");
            assertEquals(CommandLine.FAILED, refused.code());
            assertTrue(refused.out().contains("problem: zocdoc api: no token (zocdoc token http 401)"), refused.out());
        }
    }

    @Test
    void sendTestAsksTheZocdocSandboxForASignedMockWebhook() throws Exception {
        try (FakeZocdoc zocdoc = FakeZocdoc.start()) {
            Map<String, String> env = env("ZOCDOC_WEBHOOK_SECRET", "g9Y9hjTUk9KKH7ffBRbtRmJYo2OISsdMK4flbfDa3zR=");
            env.putAll(zocdoc.env());
            Run asked = run(env, "send-test", "--via-zocdoc-sandbox", "--url", "https://relay.example/webhook",
                    "--type", "appointment.cancelled");
            assertEquals(CommandLine.OK, asked.code(), asked.err());
            assertEquals("https://relay.example/webhook", zocdoc.mockRequests().get(0).string("webhook_url"));
            assertEquals("g9Y9hjTUk9KKH7ffBRbtRmJYo2OISsdMK4flbfDa3zR=", zocdoc.mockRequests().get(0).string("webhook_key"));
            assertEquals("cancelled", zocdoc.mockRequests().get(0).string("appointment_update_type"));
            assertEquals(CommandLine.USAGE, run(env, "send-test", "--via-zocdoc-sandbox").code(), "needs --url");
            env.put("ZOCDOC_ENV", "production");
            Run production = run(env, "send-test", "--via-zocdoc-sandbox", "--url", "https://relay.example/webhook");
            assertEquals(CommandLine.FAILED, production.code());
            assertTrue(production.err().contains("ZOCDOC_ENV=sandbox"), production.err());
        }
    }

    @Test
    void messagingSettingsAreCheckedAndNamed() {
        Run bad = run(env("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "REMINDER_OFFSETS", "24", "QUIET_HOURS", "late",
                "SMS_CONSENT", "maybe", "CLINIC_TIMEZONE", "Mars/Olympus", "PUBLIC_BASE_URL", "ftp://x",
                "TWILIO_ACCOUNT_SID", "AC1", "TWILIO_AUTH_TOKEN", "token"), "check-config");
        assertEquals(CommandLine.FAILED, bad.code());
        for (String expected : List.of("REMINDER_OFFSETS entry '24'", "QUIET_HOURS=late", "SMS_CONSENT=maybe",
                "CLINIC_TIMEZONE=Mars/Olympus", "PUBLIC_BASE_URL=ftp://x", "TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID")) {
            assertTrue(bad.out().contains(expected), expected + "\n" + bad.out());
        }
        assertFalse(bad.out().contains("token"), "secrets are never printed");
        Run good = run(env("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "REMINDER_OFFSETS", "72h,24h,2h",
                "QUIET_HOURS", "off", "SMS_CONSENT", "assumed", "CLINIC_TIMEZONE", "America/New_York",
                "PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY), "check-config");
        assertEquals(CommandLine.OK, good.code(), good.out());
    }

    @Test
    void credentialFilesWinOverTheEnvironment() throws Exception {
        Path credentials = Files.createDirectories(dataDir.resolve("credentials"));
        Files.writeString(credentials.resolve("ZOCDOC_WEBHOOK_SECRET"), "from-the-file\n");
        Run run = run(env("ZOCDOC_WEBHOOK_SECRET", "from-env", "CREDENTIALS_DIRECTORY", credentials.toString()), "check-config");
        assertTrue(run.out().contains("present, 13 characters, from $CREDENTIALS_DIRECTORY/ZOCDOC_WEBHOOK_SECRET"), run.out());
    }

    @Test
    void sendTestSignsBothSchemesAndShapesAndShowsTheAnswer() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir.resolve("server"))) {
            String url = "http://127.0.0.1:" + relay.port() + "/webhook";
            Run full = run(env(), "send-test", "--url", url, "--secret", TestRelay.SECRET);
            assertEquals(CommandLine.OK, full.code(), full.err());
            assertTrue(full.out().contains("HTTP 200 {\"received\":true}"), full.out());
            assertEquals(CommandLine.OK, run(env(), "send-test", "--url", url, "--secret", TestRelay.SECRET,
                    "--scheme", "hex", "--thin", "--type", "appointment.cancelled").code());
            Run first = run(env(), "send-test", "--url", url, "--secret", TestRelay.SECRET, "--event-id", "same");
            Run second = run(env(), "send-test", "--url", url, "--secret", TestRelay.SECRET, "--event-id", "same");
            assertTrue(first.out().contains("{\"received\":true}"), first.out());
            assertTrue(second.out().contains("\"duplicate\":true"), second.out());
            Run forged = run(env(), "send-test", "--url", url, "--secret", "not-the-secret");
            assertEquals(CommandLine.FAILED, forged.code());
            assertTrue(forged.out().contains("HTTP 401"), forged.out());
            Run fromEnv = run(env("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET + ",other"), "send-test", "--url", url);
            assertEquals(CommandLine.OK, fromEnv.code(), fromEnv.err());
            assertEquals(4, relay.storedRecords().size());
        }
    }

    @Test
    void sendTestNamesBadOptions() {
        Run bad = run(env(), "send-test", "--scheme", "md5");
        assertEquals(CommandLine.USAGE, bad.code());
        assertTrue(bad.err().contains("--scheme md5"), bad.err());
        Run unknown = run(env(), "send-test", "--colour", "blue");
        assertTrue(unknown.err().contains("unknown option --colour"), unknown.err());
        Run noServer = run(env(), "send-test", "--url", "http://127.0.0.1:1/webhook", "--secret", "s");
        assertEquals(CommandLine.FAILED, noServer.code());
        assertTrue(noServer.err().contains("Is the server running?"), noServer.err());
    }

    @Test
    void journalVerifyAndDumpReadWithoutChangingAnything() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir)) {
            relay.postSigned(Fixtures.fullEventBytes("evt-a", "appointment.created", "appt-a"));
            relay.postSigned(Fixtures.fullEventBytes("evt-b", "appointment.cancelled", "appt-a"));
        }
        Map<String, String> keyed = env("PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY);
        Run keyless = run(env(), "journal", "verify");
        assertEquals(CommandLine.FAILED, keyless.code());
        assertTrue(keyless.err().contains("records hold encrypted patient data that the configured PHI_ENCRYPTION_KEY cannot open"),
                keyless.err());
        Run verify = run(keyed, "journal", "verify");
        assertEquals(CommandLine.OK, verify.code(), verify.err());
        assertTrue(verify.out().contains("records in 1 segments, every checksum good"), verify.out());

        Run dump = run(keyed, "journal", "dump");
        assertEquals(2, dump.out().lines().filter(line -> line.contains("\"type\":\"event_received\"")).count());
        assertEquals(dump.out(), run(keyed, "journal", "dump", "--redact").out(), "--redact is the default, spelled out");
        assertTrue(dump.out().contains("\"key\":\"zocdoc:evt-a\"") && dump.out().contains("+1••••••0199"), dump.out());
        for (String phi : Fixtures.PHI) {
            assertFalse(dump.out().contains(phi), "redacted dump shows " + phi);
        }
        Run clear = run(keyed, "journal", "dump", "--no-redact");
        assertTrue(clear.out().contains(Fixtures.FIRST_NAME), clear.out());

        Path segment = Files.list(Journal.directoryIn(dataDir)).filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        Corruption.flipByte(segment, 40);
        byte[] before = Files.readAllBytes(segment);
        Run corrupt = run(keyed, "journal", "verify");
        assertEquals(CommandLine.FAILED, corrupt.code());
        assertTrue(corrupt.err().contains(segment.toString()) && corrupt.err().contains("offset 16"), corrupt.err());
        assertEquals(before.length, Files.readAllBytes(segment).length);
    }

    @Test
    void journalDumpAndVerifyShowPatientDataErasedByRetentionAsErased() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir)) {
            relay.postSigned(Fixtures.fullEventBytes("evt-e", "appointment.created", "appt-e"));
        }
        clinicrelay.journal.DataKeys keys = clinicrelay.journal.DataKeys.open(dataDir,
                clinicrelay.journal.PhiCipher.fromBase64(TestKeys.PHI_KEY, new java.security.SecureRandom()), null,
                new java.security.SecureRandom(), Clock.systemUTC(), new CapturedLog(Clock.systemUTC()).log(), true);
        assertTrue(keys.eraseThrough(Integer.MAX_VALUE) > 0, "every week's key destroyed, as retention would");
        Map<String, String> keyed = env("PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY);
        Run verify = run(keyed, "journal", "verify");
        assertEquals(CommandLine.OK, verify.code(), verify.err());
        assertTrue(verify.out().contains("records' patient data is erased"), verify.out());
        Run dump = run(keyed, "journal", "dump", "--no-redact");
        assertTrue(dump.out().contains("\"phi_storage\":\"erased\"") && !dump.out().contains(Fixtures.FIRST_NAME), dump.out());
    }

    @Test
    void checkConfigSaysWhenAValueCouldNotBeDecodedInThisLocale() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ChildRelay.javaBinary(), "-jar", ChildRelay.jar().toString(), "check-config")
                .redirectErrorStream(true);
        builder.environment().clear(); // no LANG: the POSIX locale, as under a bare systemd unit
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("DATA_DIR", dataDir.toString());
        builder.environment().put("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET);
        builder.environment().put("PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY);
        builder.environment().put("CLINIC_NAME", "Zahn\u00e4rzte M\u00fcller");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(output.contains("warning: CLINIC_NAME holds characters this process could not decode")
                && output.contains("LANG=C.UTF-8"), output);
    }

    @Test
    void demoModeGeneratesAPrivateSecretPrintsItOnceAndTakesSendTest() throws Exception {
        Path demoData = dataDir.resolve("demo");
        Map<String, String> demoEnv = Map.of("DATA_DIR", demoData.toString(), "PORT", "0");
        String secret;
        try (ChildRelay demo = ChildRelay.start(demoEnv, "demo")) {
            Matcher printed = Pattern.compile("shown this once:\\s+(\\S+)").matcher(demo.output());
            assertTrue(printed.find(), demo.output());
            secret = printed.group(1);
            assertTrue(demo.output().contains("java -jar build/clinic-relay.jar send-test"), demo.output());
            Path secretFile = demoData.resolve("demo-secret");
            assertEquals(secret, Files.readString(secretFile).strip());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
            Run sent = run(Map.of("DATA_DIR", demoData.toString()), "send-test",
                    "--url", "http://127.0.0.1:" + demo.port() + "/webhook");
            assertEquals(CommandLine.OK, sent.code(), sent.err());
            Path outbox = demoData.resolve("outbox.jsonl");
            Map<String, String> demoDir = Map.of("DATA_DIR", demoData.toString());
            // both confirmations sent (the SMS and the e-mail go out in parallel, in either order)
            Await.until("both confirmations in the outbox", () -> Files.exists(outbox)
                    && run(demoDir, "outbox", "--no-redact").out().contains("Reply STOP to opt out.")
                    && Files.readString(outbox).contains("confirmation_email"));
            String lines = run(demoDir, "outbox", "--no-redact").out();
            assertTrue(lines.contains("|confirmation_sms|") && lines.contains("Reply STOP to opt out."), lines);
            assertTrue(lines.contains("\"status\":\"planned\",\"kind\":\"reminder_sms\""), "the reminder is shown as planned:\n" + lines);
            assertFalse(Files.readString(outbox).contains("Reply STOP"), "in the file itself, texts are sealed");
            String masked = run(demoDir, "outbox").out();
            assertTrue(masked.contains("characters redacted") && !masked.contains("Reply STOP"), "masked by default:\n" + masked);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(outbox)));

            // the demo's dashboard shows the event, with a generated password kept 0600 and never printed
            Path passwordFile = demoData.resolve("demo-dashboard-password");
            String password = Files.readString(passwordFile).strip();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            assertFalse(demo.output().contains(password));
            assertTrue(demo.output().contains("/dashboard"), demo.output());
            java.net.http.HttpResponse<String> dashboard = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + demo.port() + "/dashboard"))
                            .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                    ("admin:" + password).getBytes(StandardCharsets.UTF_8))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, dashboard.statusCode());
            assertTrue(dashboard.body().contains("<b>1</b><span>booked</span>"), dashboard.body());

            // patient data is encrypted in the demo too, under a generated key kept 0600 and never printed
            Path phiKeyFile = demoData.resolve("demo-phi-key");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(phiKeyFile)));
            assertFalse(demo.output().contains(Files.readString(phiKeyFile).strip()));
            try (java.util.stream.Stream<Path> segments = Files.list(Journal.directoryIn(demoData))) {
                for (Path segment : segments.toList()) {
                    String bytes = new String(Files.readAllBytes(segment), StandardCharsets.ISO_8859_1);
                    assertFalse(bytes.contains("5005550006"), "the sample patient's number in clear");
                }
            }
        }
        try (ChildRelay again = ChildRelay.start(demoEnv, "demo")) {
            assertFalse(again.output().contains(secret), "the secret is printed only when generated");
            assertTrue(again.output().contains("Using the demo webhook secret in"), again.output());
        }
    }
}
