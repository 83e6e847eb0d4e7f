package clinicrelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.FakeSendGrid;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.TestKeys;
import clinicrelay.testing.TestRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One source of truth: every set-up that serve refuses, check-config reports as a problem
 * with the same words and exit 1; a set-up that would text no one says so; --probe asks
 * Twilio and SendGrid (local fakes speaking their APIs) and names the fix; the unit's way
 * of handing over settings (an environment file, a credentials folder) can be read by hand.
 */
class ConfigTruthTest {
    @TempDir
    Path dir;


    private static Run run(Map<String, String> env, String... args) {
        return Run.of(env, args);
    }

    /** A production set-up that passes: secret, PHI key, a private data folder, the clinic's zone. */
    private Map<String, String> good() {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET);
        env.put("PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY);
        env.put("CLINIC_TIMEZONE", "America/New_York");
        env.put("PORT", "0");
        return env;
    }

    private Map<String, String> with(String... pairs) {
        Map<String, String> env = good();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** check-config names the problem and exits 1; serve refuses with the same words and starts nothing. */
    private void bothRefuse(Map<String, String> env, String expected) {
        Run check = run(env, "check-config");
        assertEquals(CommandLine.FAILED, check.code(), check.out());
        assertTrue(check.out().contains("problem: ") && check.out().contains(expected), expected + "\n" + check.out());
        assertTrue(check.out().contains("configuration has problems"), check.out());
        Run serve = run(env, "serve");
        assertEquals(CommandLine.FAILED, serve.code(), serve.err());
        assertTrue(serve.err().contains("not starting") && serve.err().contains(expected), expected + "\n" + serve.err());
    }

    @Test
    void everySetUpServeRefusesCheckConfigReportsInTheSameWords() throws Exception {
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        bothRefuse(with("DATA_DIR", open.toString()), "is open to other users (rwxr-xr-x)");
        bothRefuse(with("DATA_DIR", "/proc/nope"), "DATA_DIR /proc/nope cannot be created or written by this user: ");
        bothRefuse(with("TLS_KEYSTORE", dir.resolve("missing.p12").toString()), "TLS_KEYSTORE " + dir.resolve("missing.p12")
                + " cannot be used");
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("reminder.sms.txt"), "Hi {first_name}, about your {diagnosis}");
        bothRefuse(with("TEMPLATES_DIR", templates.toString()), "unknown placeholder {diagnosis}");
        bothRefuse(with("TEMPLATES_DIR", dir.resolve("no-such-folder").toString()), "is not a folder this user can read");
        bothRefuse(with("PROVIDERS_FILE", dir.resolve("no-such-file").toString()), "PROVIDERS_FILE");
        bothRefuse(with("TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID), "Twilio is half set up: TWILIO_AUTH_TOKEN is missing");
        bothRefuse(with("TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN,
                "TWILIO_PHONE_NUMBER", "+15005550006"), "PUBLIC_BASE_URL is needed with Twilio");
        bothRefuse(with("TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", "not-a-twilio-token",
                "TWILIO_PHONE_NUMBER", "(555) 123-4567", "PUBLIC_BASE_URL", "https://relay.example.com"),
                "TWILIO_AUTH_TOKEN has 18 characters where Twilio's are 32 hexadecimal ones");
        bothRefuse(with("TWILIO_ACCOUNT_SID", "SK00000000000000000000000000000001", "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN,
                "TWILIO_PHONE_NUMBER", "+15005550006", "PUBLIC_BASE_URL", "https://relay.example.com"),
                "TWILIO_ACCOUNT_SID is not an account SID");
        bothRefuse(with("SENDGRID_API_KEY", FakeSendGrid.API_KEY), "SendGrid is half set up: SENDGRID_FROM_EMAIL is missing");
        bothRefuse(with("SENDGRID_API_KEY", "sendgrid-key-without-its-prefix", "SENDGRID_FROM_EMAIL", "front@clinic.example"),
                "is not shaped like a SendGrid API key");
        bothRefuse(with("ALERT_EMAIL", "it@clinic.example"), "ALERT_EMAIL is sent through SendGrid");
        for (String[] bad : new String[][] {{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "each secret starts with whsec_"},
                {"whsec_c2hvcnQ=", "a key is 5 bytes"}, {" , ", "is set but holds no secret"}}) {
            Run check = run(with("STANDARD_WEBHOOK_SECRET", bad[0]), "check-config");
            Run serve = run(with("STANDARD_WEBHOOK_SECRET", bad[0]), "serve");
            assertEquals(CommandLine.FAILED, check.code());
            assertEquals(CommandLine.USAGE, serve.code(), "a setting serve cannot use, as for any other");
            assertTrue(check.out().contains(bad[1]) && serve.err().contains(bad[1]), check.out() + serve.err());
            assertFalse(!bad[0].isBlank() && (check.out().contains(bad[0]) || serve.err().contains(bad[0])),
                    "the secret is never printed");
        }
        Run shapes = run(with("TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", "not-a-twilio-token"), "check-config");
        assertFalse(shapes.out().contains("not-a-twilio-token"), "a secret's value is never printed: " + shapes.out());
        assertEquals(CommandLine.OK, run(good(), "check-config").code(), "and the good set-up passes");
        assertFalse(Files.exists(dir.resolve("data")), "check-config looks without creating anything");
    }

    @Test
    void forwardingSetUpsThatCannotWorkAreRefusedWithoutQuotingSecrets() {
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String token = "/hooks/T0KEN-in-the-path";
        String[][] cases = {
                {"FORWARD_URLS", "https://warehouse.example" + token, "FORWARD_URLS is set without FORWARD_SECRET"},
                {"FORWARD_URLS", "http://warehouse.example" + token, "FORWARD_URLS: each address must be an https URL"},
                {"FORWARD_URLS", String.join(",", java.util.stream.IntStream.range(0, 9)
                        .mapToObj(i -> "https://r" + i + ".example" + token).toList()), "at most 8"},
                {"FORWARD_KAFKA_REST_URL", "https://kafka-rest.example", "without FORWARD_KAFKA_TOPIC"},
                {"FORWARD_KAFKA_TOPIC", "appointments", "FORWARD_KAFKA_TOPIC is set without FORWARD_KAFKA_REST_URL"},
                {"FORWARD_INCLUDE_PHI", "true", "nothing is forwarded"},
                {"FORWARD_URLS", "https://user:T0KEN@warehouse.example/hook", "put no user or password in the URL"},
                {"FORWARD_KAFKA_REST_URL", "http://kafka.example/T0KEN", "FORWARD_KAFKA_REST_URL: each address must be an https URL"},
        };
        for (String[] bad : cases) {
            Map<String, String> env = with(bad[0], bad[1]);
            if (!bad[2].contains("without FORWARD_SECRET") && bad[0].equals("FORWARD_URLS")) {
                env.put("FORWARD_SECRET", secret);
            }
            Run check = run(env, "check-config");
            Run serve = run(env, "serve");
            assertEquals(CommandLine.FAILED, check.code(), check.out());
            assertEquals(CommandLine.USAGE, serve.code(), serve.err());
            assertTrue(check.out().contains(bad[2]) && serve.err().contains(bad[2]), bad[2] + "\n" + check.out() + serve.err());
            assertFalse((check.out() + serve.err()).contains("T0KEN"), "a receiver's path is never printed");
        }
        Run badSecret = run(with("FORWARD_URLS", "https://warehouse.example" + token, "FORWARD_SECRET", "plain-secret-123"),
                "check-config");
        assertTrue(badSecret.out().contains("FORWARD_SECRET: each secret starts with whsec_"), badSecret.out());
        assertFalse(badSecret.out().contains("plain-secret-123"));
        Run half = run(with("FORWARD_KAFKA_REST_URL", "https://kafka-rest.example", "FORWARD_KAFKA_TOPIC", "appointments",
                "FORWARD_KAFKA_USERNAME", "relay"), "check-config");
        assertTrue(half.out().contains("FORWARD_KAFKA_USERNAME and FORWARD_KAFKA_PASSWORD go together"), half.out());
        Run fine = run(with("FORWARD_URLS", "https://warehouse.example" + token, "FORWARD_SECRET", secret), "check-config");
        assertEquals(CommandLine.OK, fine.code(), fine.out());
        assertTrue(fine.out().contains("1 receiver(s): https://warehouse.example/…"), fine.out());
        assertFalse(fine.out().contains("T0KEN"), fine.out());
    }

    @Test
    void onlyAWebhookSecretLooksFineNoMoreChannelsOffAndNoAlertsAreWarnings() {
        Map<String, String> env = good();
        env.remove("CLINIC_TIMEZONE");
        Run check = run(env, "check-config");
        assertEquals(CommandLine.OK, check.code(), check.out());
        for (String expected : List.of("warning: texts are off", "warning: e-mail is off", "warning: no ALERT_EMAIL or ALERT_WEBHOOK_URL",
                "warning: CLINIC_TIMEZONE is not set")) {
            assertTrue(check.out().contains(expected), expected + "\n" + check.out());
        }
    }

    @Test
    void probeAsksTwilioAndSendGridAndNamesTheFix() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start(); FakeSendGrid sendgrid = FakeSendGrid.start()) {
            Map<String, String> env = good();
            env.putAll(twilio.env());
            env.putAll(Map.of("PUBLIC_BASE_URL", "https://relay.example.com", "SENDGRID_API_KEY", FakeSendGrid.API_KEY,
                    "SENDGRID_FROM_EMAIL", "front@clinic.example", "SENDGRID_API_BASE", sendgrid.base().toString()));
            Run offline = run(env, "check-config");
            assertEquals(CommandLine.OK, offline.code(), offline.out());
            assertTrue(offline.out().contains("add --probe"), offline.out());
            Run ok = run(env, "check-config", "--probe");
            assertEquals(CommandLine.OK, ok.code(), ok.out());
            assertTrue(ok.out().contains("twilio: the credentials work and the account is active"), ok.out());
            assertTrue(ok.out().contains("sendgrid: the API key works and may send mail"), ok.out());

            sendgrid.grantScopes(List.of("stats.read"));
            Run noSend = run(env, "check-config", "--probe");
            assertEquals(CommandLine.FAILED, noSend.code());
            assertTrue(noSend.out().contains("problem: sendgrid: SENDGRID_API_KEY works but lacks the Mail Send permission"), noSend.out());

            twilio.rotateToken();
            sendgrid.revokeKey();
            Run refused = run(env, "check-config", "--probe");
            assertEquals(CommandLine.FAILED, refused.code(), refused.out());
            assertTrue(refused.out().contains("problem: twilio refused TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN (http 401, code 20003):"
                    + " copy both again from Account Info"), refused.out());
            assertTrue(refused.out().contains("problem: sendgrid refused SENDGRID_API_KEY (http 401)"), refused.out());
            assertFalse(refused.out().contains(FakeTwilio.AUTH_TOKEN) || refused.out().contains(FakeSendGrid.API_KEY), refused.out());
            assertTrue(twilio.created().isEmpty() && sendgrid.mails().isEmpty(), "a probe sends nothing");
        }
    }

    @Test
    void aProviderOutOfReachIsAWarningNotAProblemBecauseServeStartsAnyway() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = with("TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN,
                "TWILIO_PHONE_NUMBER", "+15005550006", "PUBLIC_BASE_URL", "https://relay.example.com",
                "TWILIO_API_BASE", "http://127.0.0.1:" + closedPort);
        Run run = run(env, "check-config", "--probe");
        assertEquals(CommandLine.OK, run.code(), run.out());
        assertTrue(run.out().contains("warning: twilio could not be reached"), run.out());
    }

    @Test
    void salesforceCredentialsAreCheckedWithTheVersionsTheOrgOffersAndNeverPrinted() throws Exception {
        try (clinicrelay.testing.FakeSalesforce org = clinicrelay.testing.FakeSalesforce.start()) {
            Map<String, String> env = good();
            env.putAll(org.env());
            Run ok = run(env, "check-config");
            assertEquals(CommandLine.OK, ok.code(), ok.out());
            assertTrue(ok.out().contains("salesforce: a token was obtained from 127.0.0.1; the org offers API versions 60.0 to"
                    + " 64.0, v62.0 among them"), ok.out());
            assertFalse(ok.out().contains("00Dfake") || ok.out().contains(clinicrelay.testing.FakeSalesforce.CLIENT_SECRET), ok.out());
            env.put("SALESFORCE_API_VERSION", "v58.0");
            Run old = run(env, "check-config");
            assertEquals(CommandLine.FAILED, old.code());
            assertTrue(old.out().contains("does not offer API v58.0 (it offers 60.0 to 64.0)"), old.out());
            env.put("SALESFORCE_API_VERSION", "v62.0");
            env.put("SALESFORCE_CLIENT_SECRET", "not-the-secret-of-this-app");
            Run refused = run(env, "check-config");
            assertEquals(CommandLine.FAILED, refused.code());
            assertTrue(refused.out().contains("problem: salesforce token http 400: check SALESFORCE_CLIENT_ID"), refused.out());
            env.remove("SALESFORCE_CLIENT_ID");
            Run half = run(env, "check-config");
            assertTrue(half.out().contains("Salesforce is half set up: SALESFORCE_CLIENT_ID is missing"), half.out());
        }
    }

    @Test
    void aSuspendedTwilioAccountIsAProblem() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.accountStatus("suspended");
            Map<String, String> env = good();
            env.putAll(twilio.env());
            env.put("PUBLIC_BASE_URL", "https://relay.example.com");
            Run run = run(env, "check-config", "--probe");
            assertEquals(CommandLine.FAILED, run.code());
            assertTrue(run.out().contains("problem: twilio: the account is suspended"), run.out());
        }
    }

    @Test
    void theUnitsEnvironmentFileAndCredentialsFolderCanBeCheckedByHand() throws Exception {
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("ZOCDOC_WEBHOOK_SECRET"), TestRelay.SECRET + "\n");
        Files.writeString(credentials.resolve("PHI_ENCRYPTION_KEY"), TestKeys.PHI_KEY + "\n");
        Path envFile = dir.resolve("clinic-relay.env");
        Files.writeString(envFile, "# settings\nCLINIC_NAME=\"Smile Dental\"\nCLINIC_TIMEZONE=America/Chicago\n\nDATA_DIR="
                + dir.resolve("data") + "\n");
        Map<String, String> bare = new HashMap<>();
        Run without = run(bare, "check-config");
        assertEquals(CommandLine.FAILED, without.code(), "nothing handed over: " + without.out());
        Run handed = run(bare, "check-config", "--env-file", envFile.toString(), "--credentials-dir", credentials.toString());
        assertEquals(CommandLine.OK, handed.code(), handed.out());
        assertTrue(handed.out().contains("from $CREDENTIALS_DIRECTORY/ZOCDOC_WEBHOOK_SECRET"), handed.out());
        assertTrue(handed.out().contains("Smile Dental") && handed.out().contains("America/Chicago"), handed.out());
        Run unknown = run(bare, "check-config", "--credentails-dir", credentials.toString());
        assertEquals(CommandLine.USAGE, unknown.code());
        assertTrue(unknown.err().contains("unknown option '--credentails-dir'"), unknown.err());
    }
}
