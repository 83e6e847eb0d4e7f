package clinicrelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.Secrets;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.json.Json;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.testing.ChildRelay;
import clinicrelay.testing.TestKeys;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README and the commands say is true: the version comes from the build (jar
 * manifest, --version, /health agree); every option the usage lists and every secret
 * check-config shows is documented; nothing points at a file the repository lacks; a
 * reminder and a reschedule can be shown with send-test --start; a time zone the clinic
 * would get wrong is refused with the name to use.
 */
class TruthfulDocsTest {
    @TempDir
    Path dir;


    private static Run run(Map<String, String> env, String... args) {
        return Run.of(env, args);
    }

    @Test
    void theVersionComesFromTheBuildAndIsTheSameEverywhere() throws Exception {
        String manifest;
        try (JarFile jar = new JarFile(ChildRelay.jar().toFile())) {
            manifest = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertTrue(manifest != null && !manifest.isBlank() && !manifest.equals("dev"), "manifest: " + manifest);
        Process child = new ProcessBuilder(ChildRelay.javaBinary(), "-jar", ChildRelay.jar().toString(), "--version")
                .redirectErrorStream(true).start();
        String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals("clinic-relay " + manifest, printed);
        try (TestRelay relay = TestRelay.start(dir.resolve("data"))) {
            String health = relay.get("/health").body();
            assertEquals(manifest, Json.parseObject(health.getBytes(StandardCharsets.UTF_8)).string("version"), health);
            assertTrue(relay.logText().contains("version=" + manifest), relay.logText());
        }
    }

    @Test
    void theReadmeDocumentsEveryOptionAndSecretAndPointsAtNothingMissing() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher option = Pattern.compile("(--[a-z][a-z-]+)").matcher(CommandLine.USAGE_TEXT);
        while (option.find()) {
            assertTrue(readme.contains(option.group(1)), "README does not document " + option.group(1));
        }
        for (String secret : Secrets.NAMES) {
            assertTrue(readme.contains("`" + secret + "`"), "README does not document " + secret);
        }
        Matcher link = Pattern.compile("\\]\\(([^)#:]+)[)#]").matcher(readme);
        while (link.find()) {
            assertTrue(Files.exists(Path.of(link.group(1))), "README links to a missing file: " + link.group(1));
        }
    }

    @Test
    void sendTestStartShowsAReminderSoonAndAReschedule() throws Exception {
        Map<String, String> env = Map.of("DRY_RUN", "true", "QUIET_HOURS", "off", "REMINDER_OFFSETS", "24h");
        try (TestRelay relay = TestRelay.start(dir.resolve("data"), env, clinicrelay.journal.WriteFaults.NONE)) {
            String url = relay.uri("/webhook").toString();
            Instant before = Instant.now();
            Run booked = run(Map.of(), "send-test", "--url", url, "--secret", TestRelay.SECRET, "--appointment-id", "appt-start",
                    "--start", "+25h");
            assertEquals(CommandLine.OK, booked.code(), booked.out() + booked.err());
            assertTrue(booked.out().contains("starting "), booked.out());
            relay.settle();
            Instant reminder = reminderDue(relay);
            assertTrue(!reminder.isBefore(before.plus(Duration.ofMinutes(59))) && reminder.isBefore(before.plus(Duration.ofMinutes(62))),
                    "+25h with a 24h reminder: due in about an hour, at " + reminder);

            Run moved = run(Map.of("CLINIC_TIMEZONE", "America/Chicago"), "send-test", "--url", url, "--secret", TestRelay.SECRET,
                    "--type", "appointment.updated", "--appointment-id", "appt-start", "--start", "2027-03-04T09:30");
            assertEquals(CommandLine.OK, moved.code(), moved.out() + moved.err());
            relay.settle();
            assertEquals(Instant.parse("2027-03-03T15:30:00Z"), reminderDue(relay),
                    "09:30 Chicago time (UTC-6 in March before DST) less 24 hours");
        }
        Run bad = run(Map.of(), "send-test", "--secret", TestRelay.SECRET, "--start", "tomorrow");
        assertEquals(CommandLine.USAGE, bad.code());
        assertTrue(bad.err().contains("give +26h, +90m or +3d"), bad.err());
        assertEquals(CommandLine.USAGE, run(Map.of(), "send-test", "--secret", TestRelay.SECRET, "--thin", "--start", "+2h").code());
    }

    private static Instant reminderDue(TestRelay relay) throws Exception {
        List<DeliveryView> views = relay.relay().engine().snapshot().get(10, TimeUnit.SECONDS);
        return views.stream().filter(v -> v.appointmentId().equals("appt-start") && v.kind() == DeliveryKind.REMINDER_SMS
                && v.state().isPending()).findFirst().orElseThrow(() -> new AssertionError(views.toString())).dueAt();
    }

    @Test
    void aTimeZoneAbbreviationOrTypoIsRefusedWithTheNameToUse() {
        Map<String, String> env = new HashMap<>(Map.of("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "PHI_ENCRYPTION_KEY",
                TestKeys.PHI_KEY, "DATA_DIR", dir.resolve("data").toString()));
        env.put("CLINIC_TIMEZONE", "EST");
        Run abbreviation = run(env, "check-config");
        assertEquals(CommandLine.FAILED, abbreviation.code());
        assertTrue(abbreviation.out().contains("CLINIC_TIMEZONE=EST is not a place's time zone") 
                && abbreviation.out().contains("America/New_York"), abbreviation.out());
        env.put("CLINIC_TIMEZONE", "Etc/GMT+5");
        Run fixed = run(env, "check-config");
        assertTrue(fixed.out().contains("CLINIC_TIMEZONE=Etc/GMT+5 is a fixed offset"), fixed.out());
        env.put("CLINIC_TIMEZONE", "America/Chicgo");
        Run typo = run(env, "check-config");
        assertTrue(typo.out().contains("CLINIC_TIMEZONE=America/Chicgo is not a known time zone: use an IANA name"), typo.out());
        env.put("CLINIC_TIMEZONE", "America/Chicago");
        assertNotEquals(CommandLine.FAILED, run(env, "check-config").code());
    }
}
