package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.Config;
import clinicrelay.config.ConfigException;
import clinicrelay.journal.Journal;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Patient data in the journal: apart, encrypted with a key, and a wrong key stops start-up. */
class PhiAtRestTest {
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dataDir;

    private String journalBytes() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(Journal.directoryIn(dataDir))) {
            for (Path file : files.toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return new String(all.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private void storeFixture(Map<String, String> env) throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir, env, WriteFaults.NONE)) {
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-rest", "appointment.created", "appt-rest")).statusCode());
        }
    }

    @Test
    void withEncryptionTurnedOffPhiIsFoundInTheJournalAndAWarningIsLogged() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir, Map.of("PHI_ENCRYPTION", "off"), WriteFaults.NONE)) {
            relay.postSigned(Fixtures.fullEventBytes("evt-rest", "appointment.created", "appt-rest"));
            assertEquals(1, relay.logText().lines().filter(l -> l.contains("WARN PHI_ENCRYPTION=off: patient data")).count(),
                    "warned once, at start");
        }
        String journal = journalBytes();
        assertTrue(journal.contains(Fixtures.FIRST_NAME));
        assertTrue(journal.contains(Fixtures.PHONE_E164));
    }

    @Test
    void withoutAKeyAndWithoutSayingEncryptionIsOffServeRefusesToStart() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET);
        env.put("DATA_DIR", dataDir.toString());
        env.put("PORT", "0");
        Relay.StartupException refused = assertThrows(Relay.StartupException.class, () -> Relay.start(
                Config.load(env), Relay.Options.defaults(new CapturedLog(Clock.systemUTC()).log())));
        assertTrue(refused.getMessage().contains("PHI_ENCRYPTION_KEY is not set: refusing to start")
                && refused.getMessage().contains("PHI_ENCRYPTION=off"), refused.getMessage());
        assertFalse(Files.exists(Journal.directoryIn(dataDir)), "nothing was written");
    }

    @Test
    void withAKeyNoPhiIsFoundButIdsTypesAndTimesAre() throws Exception {
        storeFixture(Map.of("PHI_ENCRYPTION_KEY", KEY));
        String journal = journalBytes();
        for (String phi : Fixtures.PHI) {
            assertFalse(journal.contains(phi), "found in the encrypted journal: " + phi);
        }
        assertTrue(journal.contains("evt-rest") && journal.contains("appt-rest"));
        assertTrue(journal.contains("appointment.created") && journal.contains(Fixtures.START_TIME));
        try (TestRelay again = TestRelay.start(dataDir, Map.of("PHI_ENCRYPTION_KEY", KEY), WriteFaults.NONE)) {
            assertEquals("{\"received\":true,\"duplicate\":true}",
                    again.postSigned(Fixtures.fullEventBytes("evt-rest", "appointment.created", "appt-rest")).body());
            assertFalse(again.logText().contains("PHI_ENCRYPTION_KEY is not set"));
        }
    }

    @Test
    void aWrongKeyFailsStartupWithAClearMessage() throws Exception {
        storeFixture(Map.of("PHI_ENCRYPTION_KEY", KEY));
        Relay.StartupException wrong = assertThrows(Relay.StartupException.class,
                () -> TestRelay.start(dataDir, Map.of("PHI_ENCRYPTION_KEY", OTHER_KEY), WriteFaults.NONE));
        assertTrue(wrong.getMessage().contains("PHI_ENCRYPTION_KEY is not the key that wrapped the data keys"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("PHI_ENCRYPTION_KEY_PREVIOUS"), "says how to rotate: " + wrong.getMessage());
        Relay.StartupException missing = assertThrows(Relay.StartupException.class,
                () -> TestRelay.start(dataDir, Map.of("PHI_ENCRYPTION", "off"), WriteFaults.NONE));
        assertTrue(missing.getMessage().contains("PHI_ENCRYPTION_KEY is not set"), missing.getMessage());
        try (TestRelay right = TestRelay.start(dataDir, Map.of("PHI_ENCRYPTION_KEY", KEY), WriteFaults.NONE)) {
            assertEquals(200, right.get("/health").statusCode(), "the data dir was released by the refused starts");
        }
    }

    @Test
    void aMalformedKeyIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestRelay.start(dataDir, Map.of("PHI_ENCRYPTION_KEY", "c2hvcnQ="), WriteFaults.NONE));
        assertTrue(e.getMessage().contains("exactly 32 bytes, got 5 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("c2hvcnQ="), "the key itself is never printed");
    }
}
