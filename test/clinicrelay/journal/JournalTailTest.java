package clinicrelay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.json.JsonObject;
import clinicrelay.log.Log;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader following the journal from a stored position: across segments, up to a limit, past deleted segments. */
class JournalTailTest {
    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(logged, Clock.systemUTC());
    private final RecordCodec codec = RecordCodec.plain();

    private static JournalRecord event(String key) {
        return JournalRecord.of(RecordType.EVENT_RECEIVED, key, new JsonObject().put("n", key), null);
    }

    private List<Long> append(Journal journal, String prefix, int count) throws Exception {
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            positions.add(journal.append(codec.encodeFrame(event(prefix + i))).get(5, TimeUnit.SECONDS));
        }
        return positions;
    }

    private static List<String> readAll(JournalTail tail, long limit) throws Exception {
        List<String> keys = new ArrayList<>();
        for (StoredRecord record = tail.next(limit); record != null; record = tail.next(limit)) {
            keys.add(record.key());
        }
        return keys;
    }

    @Test
    void followsAcrossSegmentsFromAStoredPositionAndStopsAtTheLimit() throws Exception {
        try (Journal journal = Journal.open(dataDir, new Journal.Options(2048, WriteFaults.NONE), r -> { }, log)) {
            List<Long> positions = append(journal, "a", 200);
            assertTrue(JournalPosition.segmentSequence(positions.get(199)) > 2, "several segments");
            try (JournalTail tail = new JournalTail(dataDir, positions.get(150), log)) {
                assertEquals(List.of("a150", "a151"), List.of(tail.next(positions.get(152)).key(), tail.next(positions.get(152)).key()));
                assertNull(tail.next(positions.get(152)), "nothing at or past the limit");
                assertEquals(positions.get(152), tail.position());
                List<String> rest = readAll(tail, journal.settledPosition());
                assertEquals(48, rest.size());
                assertEquals("a199", rest.get(47));
                append(journal, "b", 100);
                List<String> more = readAll(tail, journal.settledPosition());
                assertEquals(100, more.size(), "what was appended since, across a segment roll");
                assertEquals("b0", more.get(0));
                long back = positions.get(10);
                tail.seek(back);
                assertEquals("a10", tail.next(journal.settledPosition()).key());
            }
        }
    }

    @Test
    void aSegmentDeletedByRetentionIsSkippedWithAWarning() throws Exception {
        List<Long> positions;
        try (Journal journal = Journal.open(dataDir, new Journal.Options(2048, WriteFaults.NONE), r -> { }, log)) {
            positions = append(journal, "a", 200);
            long second = JournalPosition.segmentSequence(positions.get(0)) + 1;
            long readFrom = positions.get(0);
            journal.deleteOldSegments(second + 1, Instant.now().plusSeconds(60));
            try (JournalTail tail = new JournalTail(dataDir, readFrom, log)) {
                StoredRecord first = tail.next(journal.settledPosition());
                assertEquals(second + 1, JournalPosition.segmentSequence(first.position()), "on from the oldest segment left");
                assertTrue(logged.toString().contains("deleted by retention"), logged.toString());
            }
        }
    }

    @Test
    void segmentsDeletedUnderAnOpenReaderAreSkippedToo() throws Exception {
        try (Journal journal = Journal.open(dataDir, new Journal.Options(2048, WriteFaults.NONE), r -> { }, log)) {
            List<Long> positions = append(journal, "a", 200);
            try (JournalTail tail = new JournalTail(dataDir, positions.get(0), log)) {
                assertEquals("a0", tail.next(journal.settledPosition()).key()); // its first segment is open now
                long first = JournalPosition.segmentSequence(positions.get(0));
                journal.deleteOldSegments(first + 3, Instant.now().plusSeconds(60));
                List<String> rest = readAll(tail, journal.settledPosition());
                assertEquals("a199", rest.get(rest.size() - 1), "it reached the end instead of stopping at a deleted segment");
                assertEquals(journal.settledPosition(), tail.position());
                assertTrue(logged.toString().contains("deleted by retention"), logged.toString());
            }
        }
    }

    /**
     * A batch written but failing its fsync is cut off and its place rewritten: a reader
     * must never have seen those bytes, not even in its read-ahead.
     */
    @Test
    void bytesPastTheSettledPositionAreNeverRead() throws Exception {
        java.util.concurrent.atomic.AtomicInteger forces = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch inForce = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        WriteFaults failSecondForce = new WriteFaults() {
            @Override
            public void beforeBatch() {
            }

            @Override
            public void beforeForce() throws java.io.IOException {
                if (forces.incrementAndGet() == 2) {
                    inForce.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new java.io.IOException(e);
                    }
                    throw new java.io.IOException("fsync failed");
                }
            }
        };
        try (Journal journal = Journal.open(dataDir, new Journal.Options(1 << 20, failSecondForce), r -> { }, log)) {
            long a = journal.append(codec.encodeFrame(event("A"))).get(5, TimeUnit.SECONDS);
            long settledAfterA = journal.settledPosition();
            java.util.concurrent.CompletableFuture<Long> b = journal.append(codec.encodeFrame(event("B-never-stored")));
            inForce.await(5, TimeUnit.SECONDS); // B's bytes are in the file, not yet forced
            try (JournalTail tail = new JournalTail(dataDir, a, log)) {
                assertEquals("A", tail.next(settledAfterA).key());
                release.countDown();
                assertThrows(java.util.concurrent.ExecutionException.class, () -> b.get(5, TimeUnit.SECONDS));
                journal.append(codec.encodeFrame(event("C-stored-in-its-place"))).get(5, TimeUnit.SECONDS);
                assertEquals(List.of("C-stored-in-its-place"), readAll(tail, journal.settledPosition()));
            }
        }
    }

    @Test
    void damageUnderAStoredPositionIsReportedNotSkipped() throws Exception {
        long position;
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), r -> { }, log)) {
            position = append(journal, "a", 3).get(1);
        }
        Path segment = Segments.path(Journal.directoryIn(dataDir), JournalPosition.segmentSequence(position));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x5A}), JournalPosition.offset(position) + RecordCodec.FRAME_HEADER_BYTES + 2);
        }
        try (JournalTail tail = new JournalTail(dataDir, position, log)) {
            JournalCorruptException damage = assertThrows(JournalCorruptException.class, () -> tail.next(Long.MAX_VALUE));
            assertTrue(damage.getMessage().contains(segment.getFileName().toString()), damage.getMessage());
        }
        assertTrue(Files.exists(segment));
    }
}
