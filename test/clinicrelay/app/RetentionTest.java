package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.CheckpointFile;
import clinicrelay.journal.DataKeys;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.JournalReader;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.KeyPeriods;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.MutableClock;
import clinicrelay.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention: a week's data key goes PHI_RETENTION_DAYS after the week ends (and not a day
 * sooner); whole segments go once older than JOURNAL_RETENTION_DAYS, never one a
 * checkpoint still needs, never the live one, never without a checkpoint.
 */
class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration PHI_RETENTION = Duration.ofDays(30);
    private static final Duration JOURNAL_RETENTION = Duration.ofDays(400);

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(NOW);
    private final CapturedLog log = new CapturedLog(clock);

    @Test
    void aWeeksPatientDataIsErasedThirtyDaysAfterTheWeekEndsAndNotBefore() throws Exception {
        RecordCodec codec = TestKeys.codec(dataDir, clock);
        Instant visit = Instant.parse("2026-12-02T15:00:00Z"); // a Wednesday; its week ends Monday 2026-12-07
        List<StoredRecord> records;
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), record -> { }, log.log())) {
            journal.append(codec.encodeFrame(record("visit", KeyPeriods.forVisit(visit, NOW)))).get(10, TimeUnit.SECONDS);
            journal.append(codec.encodeFrame(record("stop", KeyPeriods.CONSENT))).get(10, TimeUnit.SECONDS);
            Retention retention = new Retention(dataDir, codec.dataKeys(), journal, PHI_RETENTION, JOURNAL_RETENTION, clock,
                    log.log());
            clock.set(Instant.parse("2027-01-05T23:59:00Z")); // not quite 30 days after the week ended
            retention.run();
            records = read();
            assertFalse(codec.isErased(records.get(0)), "not yet");
            clock.set(Instant.parse("2027-01-06T00:00:00Z"));
            retention.run();
            assertTrue(codec.isErased(records.get(0)));
            assertFalse(codec.isErased(records.get(1)), "an opt-out is never erased");
            assertTrue(log.text().contains("INFO patient data erased: data keys destroyed keys=1"), log.text());
        }
        RecordCodec reopened = TestKeys.codec(dataDir, clock);
        assertTrue(reopened.isErased(records.get(0)), "for good: the key is gone from the key file");
        assertEquals(DataKeys.State.ERASED, reopened.dataKeys().state(KeyPeriods.forVisit(visit, NOW)));
    }

    @Test
    void oldSegmentsGoUpToWhatTheCheckpointNeedsNeverTheLiveOneNeverWithoutACheckpoint() throws Exception {
        RecordCodec codec = RecordCodec.plain();
        List<Long> positions = new ArrayList<>();
        try (Journal journal = Journal.open(dataDir, new Journal.Options(4096, WriteFaults.NONE), record -> { }, log.log())) {
            for (int i = 0; i < 100; i++) {
                positions.add(journal.append(codec.encodeFrame(record("r" + i, KeyPeriods.NONE))).get(10, TimeUnit.SECONDS));
            }
            List<Path> segments = segments();
            assertTrue(segments.size() >= 5, segments.toString());
            for (Path segment : segments) {
                Files.setLastModifiedTime(segment, FileTime.from(NOW.minus(Duration.ofDays(500))));
            }
            Retention retention = new Retention(dataDir, null, journal, PHI_RETENTION, JOURNAL_RETENTION, clock, log.log());
            retention.run();
            assertEquals(segments, segments(), "no checkpoint: every record is needed to start");

            long needed = positions.get(70);
            CheckpointFile.write(dataDir, positions.get(99), needed, out -> out.writeInt(Checkpoints.FORMAT));
            retention.run();
            List<Path> left = segments();
            long neededSegment = JournalPosition.segmentSequence(needed);
            assertEquals(neededSegment, sequence(left.get(0)), "everything before the needed record's segment went");
            assertTrue(log.text().contains("INFO journal segment deleted by retention"), log.text());

            CheckpointFile.write(dataDir, positions.get(99), positions.get(99), out -> out.writeInt(Checkpoints.FORMAT));
            CheckpointFile.write(dataDir, positions.get(99) + 1, positions.get(99), out -> out.writeInt(Checkpoints.FORMAT));
            retention.run();
            assertEquals(1, segments().size(), "the live segment stays, whatever its age");
            journal.append(codec.encodeFrame(record("after", KeyPeriods.NONE))).get(10, TimeUnit.SECONDS);
        }
        assertTrue(read().stream().anyMatch(r -> r.key().equals("after")), "the journal reads from what is left");
    }

    @Test
    void recentSegmentsStayWhateverTheCheckpoint() throws Exception {
        RecordCodec codec = RecordCodec.plain();
        try (Journal journal = Journal.open(dataDir, new Journal.Options(4096, WriteFaults.NONE), record -> { }, log.log())) {
            long last = 0;
            for (int i = 0; i < 40; i++) {
                last = journal.append(codec.encodeFrame(record("r" + i, KeyPeriods.NONE))).get(10, TimeUnit.SECONDS);
            }
            CheckpointFile.write(dataDir, last, last, out -> out.writeInt(Checkpoints.FORMAT));
            List<Path> before = segments();
            new Retention(dataDir, null, journal, PHI_RETENTION, JOURNAL_RETENTION, clock, log.log()).run();
            assertEquals(before, segments(), "written today: kept for JOURNAL_RETENTION_DAYS");
        }
    }

    private static JournalRecord record(String key, int period) {
        return new JournalRecord(RecordType.EVENT_RECEIVED, key, "{\"type\":\"appointment.created\"}".getBytes(StandardCharsets.UTF_8),
                ("{\"first_name\":\"Quilla\",\"pad\":\"" + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8), period);
    }

    private List<StoredRecord> read() throws Exception {
        List<StoredRecord> records = new ArrayList<>();
        JournalReader.read(Journal.directoryIn(dataDir), records::add);
        return records;
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(Journal.directoryIn(dataDir))) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static long sequence(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - 4));
    }
}
