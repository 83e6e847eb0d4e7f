package clinicrelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryView;
import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.DataDirs;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestKeys;
import clinicrelay.testing.TestRelay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code journal backup DIR} while the relay serves, and a restore: the backup, copied to
 * a fresh DATA_DIR, starts from its checkpoint with every event stored before the backup
 * and its patients' data readable; what came after the backup is what a restore loses.
 */
class BackupTest {
    private static final Map<String, String> ENV = Map.of("DRY_RUN", "true", "QUIET_HOURS", "off", "SMS_CONSENT", "assumed");

    @TempDir
    Path root;

    @Test
    void aBackupTakenWhileServingRestoresIntoAFreshDataDirAndStarts() throws Exception {
        Path live = root.resolve("live");
        Path backup = root.resolve("backup");
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            for (int i = 1; i <= 3; i++) {
                post(relay, "before-" + i, "appt-" + i);
            }
            relay.settle();
            assertNotEquals(JournalPosition.NONE, relay.relay().checkpointNow());
            post(relay, "after-checkpoint", "appt-4");
            relay.settle();

            Run taken = backup(live, backup);
            assertEquals(CommandLine.OK, taken.code(), taken.err());
            assertTrue(taken.out().contains("checkpoint ") && taken.out().contains("restore: stop the relay"), taken.out());
            Run again = backup(live, backup);
            assertEquals(CommandLine.OK, again.code(), again.err());

            post(relay, "after-backup", "appt-5"); // what a restore loses
            relay.settle();
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        for (String part : List.of("journal", "checkpoint", "keys/data-keys", "keys/data-keys.mirror")) {
            assertTrue(Files.exists(backup.resolve(part)), part);
        }

        Path restored = root.resolve("restored");
        DataDirs.copy(backup, restored);
        try (TestRelay relay = TestRelay.start(restored, ENV, WriteFaults.NONE)) {
            relay.settle();
            assertTrue(relay.logText().contains("INFO started from a checkpoint"), relay.logText());
            assertTrue(relay.get("/health").body().contains("\"events_stored\":4"), relay.get("/health").body());
            assertEquals("{\"received\":true,\"duplicate\":true}", relay.postSigned(
                    Fixtures.fullEventBytes("after-checkpoint", "appointment.created", "appt-4")).body());
            assertEquals("{\"received\":true}", relay.postSigned(
                    Fixtures.fullEventBytes("after-backup", "appointment.created", "appt-5")).body(),
                    "after the backup: not in it, so taken as new (Zocdoc's sweep brings such events back)");
            relay.settle();
            List<DeliveryView> deliveries = relay.relay().engine().snapshot().get(10, TimeUnit.SECONDS);
            assertTrue(deliveries.stream().anyMatch(d -> d.appointmentId().equals("appt-1")
                    && d.maskedRecipient() != null && d.maskedRecipient().endsWith("0199")), "patient data readable: " + deliveries);
        }
    }

    private static void post(TestRelay relay, String eventId, String appointmentId) throws Exception {
        assertEquals(200, relay.postSigned(Fixtures.fullEventBytes(eventId, "appointment.created", appointmentId)).statusCode());
    }

    record Run(int code, String out, String err) {
    }

    private static Run backup(Path dataDir, Path target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CommandLine.run(new String[] {"journal", "backup", target.toString()},
                Map.of("DATA_DIR", dataDir.toString(), "PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new CapturedLog(Clock.systemUTC()).log());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

}
