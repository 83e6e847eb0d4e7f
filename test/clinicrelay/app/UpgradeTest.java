package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.json.JsonObject;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade contract (README "Upgrading"): record type codes are never reused, and a
 * reader skips codes it does not know, so a journal a newer version wrote (a record type
 * added later) still starts an older one, from a checkpoint or by a full replay, and the
 * relay serves on.
 */
class UpgradeTest {
    /** A type code no version has used yet: what a later version's new record looks like to this one. */
    private static final int CODE_FROM_A_LATER_VERSION = 200;

    @TempDir
    Path dataDir;

    /** A valid frame whose type is a code this version does not know (length, crc and payload as the format says). */
    private static byte[] frameOfAnUnknownType() {
        byte[] frame = new RecordCodec(null, Clock.systemUTC()).encodeFrame(JournalRecord.of(RecordType.ZOCDOC_SWEPT, "later",
                new JsonObject().put("what", "a record type added by a later version"), null));
        assertTrue(RecordType.fromCode(CODE_FROM_A_LATER_VERSION) == null, "the code must really be unknown");
        frame[8] = (byte) CODE_FROM_A_LATER_VERSION;
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, 4);
        crc.update(frame, 8, frame.length - 8);
        ByteBuffer.wrap(frame).putInt(4, (int) crc.getValue());
        return frame;
    }

    @Test
    void aJournalWithRecordsFromALaterVersionStillStartsAndServes() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir)) {
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1")).statusCode());
            relay.relay().journal().append(frameOfAnUnknownType()).get(10, TimeUnit.SECONDS);
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.created", "appt-2")).statusCode());
        }
        try (TestRelay fromCheckpoint = TestRelay.start(dataDir)) {
            assertTrue(fromCheckpoint.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1")).body()
                    .contains("duplicate"), "what came before the unknown record is still known");
        }
        try (Stream<Path> files = Files.walk(dataDir.resolve("checkpoint"))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        try (TestRelay fullReplay = TestRelay.start(dataDir)) {
            assertTrue(fullReplay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.created", "appt-2")).body()
                    .contains("duplicate"), "a full replay reads past the unknown record to what followed it");
            assertEquals(200, fullReplay.postSigned(Fixtures.fullEventBytes("evt-3", "appointment.created", "appt-3")).statusCode());
        }
    }
}
