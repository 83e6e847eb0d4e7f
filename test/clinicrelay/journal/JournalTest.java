package clinicrelay.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.json.JsonObject;
import clinicrelay.log.Log;
import clinicrelay.testing.Corruption;
import clinicrelay.testing.DiskFaults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(logged, Clock.systemUTC());
    private final RecordCodec codec = RecordCodec.plain();

    private static JournalRecord event(String key) {
        return JournalRecord.of(RecordType.EVENT_RECEIVED, key,
                new JsonObject().put("type", "appointment.created"),
                new JsonObject().put("first_name", "Quilla"));
    }

    private Journal open(Journal.Options options, List<String> replayedKeys) throws Exception {
        return Journal.open(dataDir, options, record -> replayedKeys.add(record.key()), log);
    }

    private void appendAll(Journal journal, RecordCodec codec, int count, String prefix) throws Exception {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(journal.append(codec.encodeFrame(event(prefix + i))));
        }
        for (CompletableFuture<Long> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
    }

    /** Appends {@code count} records one batch each into segments of {@code segmentBytes}; returns those options. */
    private Journal.Options fillSegmentsOf(long segmentBytes, int count) throws Exception {
        Journal.Options small = new Journal.Options(segmentBytes, WriteFaults.NONE);
        try (Journal journal = open(small, new ArrayList<>())) {
            for (int i = 0; i < count; i++) {
                journal.append(codec.encodeFrame(event("e" + i))).get(5, TimeUnit.SECONDS);
            }
        }
        return small;
    }

    /** Several 2 KiB segments holding {@code count} records. */
    private Journal.Options fillSmallSegments(int count) throws Exception {
        return fillSegmentsOf(2048, count);
    }

    private Path onlySegment() throws IOException {
        List<Path> segments = Segments.list(Journal.directoryIn(dataDir));
        assertEquals(1, segments.size());
        return segments.get(0);
    }

    @Test
    void anAppendGivesThePositionItsRecordIsReadBackFromAndReplayAgrees() throws Exception {
        List<Long> positions = new ArrayList<>();
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            for (int i = 0; i < 3; i++) {
                positions.add(journal.append(codec.encodeFrame(event("p" + i))).get(5, TimeUnit.SECONDS));
            }
            assertEquals("p1", journal.read(positions.get(1)).key());
        }
        List<Long> replayed = new ArrayList<>();
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), record -> replayed.add(record.position()), log)) {
            assertEquals(positions, replayed);
            assertEquals("p2", journal.read(positions.get(2)).key());
            assertThrows(JournalCorruptException.class, () -> journal.read(positions.get(2) + 1), "not a record's start");
        }
    }

    @Test
    void appendedRecordsAreReplayedInOrderAfterReopen() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 50, "evt-");
        }
        List<String> keys = new ArrayList<>();
        try (Journal journal = open(Journal.Options.defaults(), keys)) {
            assertEquals(50, journal.replayReport().records());
        }
        assertEquals(50, keys.size());
        assertEquals("evt-0", keys.get(0));
        assertEquals("evt-49", keys.get(49));
    }

    @Test
    void concurrentAppendsAreGroupCommittedIntoFewerBatches() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 2000, "e");
            JournalHealth health = journal.health();
            assertEquals(2000, health.recordsWritten());
            assertTrue(health.batchesWritten() < 2000, "expected batching, got " + health.batchesWritten());
        }
    }

    @Test
    void largeFramesAreSplitIntoBatchesWithinTheByteLimit() throws Exception {
        JsonObject big = new JsonObject().put("body", "x".repeat(1024 * 1024));
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(journal.append(codec.encodeFrame(JournalRecord.of(RecordType.EVENT_RECEIVED, "big-" + i,
                        new JsonObject().put("type", "x"), big))));
            }
            for (CompletableFuture<Long> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertTrue(journal.health().batchesWritten() >= 3, "20 MiB cannot go in one 8 MiB batch");
        }
        List<String> keys = new ArrayList<>();
        open(Journal.Options.defaults(), keys).close();
        assertEquals(20, keys.size());
    }

    @Test
    void filesArePrivate() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 1, "e");
        }
        Path dir = Journal.directoryIn(dataDir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(onlySegment())));
    }

    @Test
    void segmentsRollAtTheConfiguredSize() throws Exception {
        Journal.Options small = fillSegmentsOf(1024, 100);
        List<Path> segments = Segments.list(Journal.directoryIn(dataDir));
        assertTrue(segments.size() > 5, "segments: " + segments.size());
        for (Path segment : segments.subList(0, segments.size() - 1)) {
            assertTrue(Files.size(segment) < 1024 + 200, "segment overshoots: " + Files.size(segment));
        }
        List<String> keys = new ArrayList<>();
        open(small, keys).close();
        assertEquals(100, keys.size());
    }

    @Test
    void truncatedTailIsQuarantinedAndCutOffWithAnErrorNamingFileAndOffset() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 3, "e");
        }
        Path segment = onlySegment();
        long frameBytes = (Files.size(segment) - Segments.HEADER_BYTES) / 3;
        long thirdFrame = Segments.HEADER_BYTES + 2 * frameBytes;
        Corruption.chopTail(segment, 5);
        List<String> keys = new ArrayList<>();
        open(Journal.Options.defaults(), keys).close();
        assertEquals(List.of("e0", "e1"), keys);
        assertEquals(thirdFrame, Files.size(segment), "the torn frame is cut off the file");
        String warning = logged.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("ERROR journal tail quarantined and truncated"), warning);
        assertTrue(warning.contains("file=" + segment.toString().replace(' ', '_')), warning);
        assertTrue(warning.contains("offset=" + thirdFrame), warning);
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 1, "after-");
        }
        List<String> again = new ArrayList<>();
        open(Journal.Options.defaults(), again).close();
        assertEquals(List.of("e0", "e1", "after-0"), again);
    }

    @Test
    void lastFrameWithBadChecksumIsATornTail() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 3, "e");
        }
        Path segment = onlySegment();
        Corruption.flipByte(segment, Files.size(segment) - 3);
        List<String> keys = new ArrayList<>();
        open(Journal.Options.defaults(), keys).close();
        assertEquals(List.of("e0", "e1"), keys);
    }

    @Test
    void zeroFilledTailIsATornTail() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 2, "e");
        }
        long goodEnd = Files.size(onlySegment());
        Corruption.appendBytes(onlySegment(), new byte[4096]);
        List<String> keys = new ArrayList<>();
        open(Journal.Options.defaults(), keys).close();
        assertEquals(List.of("e0", "e1"), keys);
        assertEquals(goodEnd, Files.size(onlySegment()), "the zeros are cut off");
    }

    @Test
    void checksumMismatchInMiddleHaltsStartup() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 3, "e");
        }
        Path segment = onlySegment();
        byte[] before = Files.readAllBytes(segment);
        long secondFrame = Segments.HEADER_BYTES + (before.length - Segments.HEADER_BYTES) / 3;
        Corruption.flipByte(segment, secondFrame + 20);
        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> open(Journal.Options.defaults(), new ArrayList<>()));
        assertEquals(segment, e.file());
        assertEquals(secondFrame, e.offset());
        assertTrue(e.getMessage().contains(segment.toString()) && e.getMessage().contains("offset " + secondFrame));
        byte[] after = Files.readAllBytes(segment);
        assertEquals(before.length, after.length, "a corrupt segment must be left untouched");
    }

    @Test
    void damagedLengthInTheNewestSegmentHaltsStartupInsteadOfDroppingWhatFollows() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 10, "e");
        }
        Path segment = onlySegment();
        long sizeBefore = Files.size(segment);
        long frameBytes = (sizeBefore - Segments.HEADER_BYTES) / 10;
        long thirdFrame = Segments.HEADER_BYTES + 2 * frameBytes;
        // A plausible length that runs past the end of the file: looks torn, is not.
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(thirdFrame);
            file.writeInt((int) (sizeBefore - thirdFrame));
        }
        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> open(Journal.Options.defaults(), new ArrayList<>()));
        assertEquals(thirdFrame, e.offset());
        assertTrue(e.getMessage().contains("yet a valid record follows"), e.getMessage());
        assertEquals(sizeBefore, Files.size(segment), "nothing may be truncated");
    }

    @Test
    void writerThatDiesOnAnErrorRefusesEveryAppendAndReportsIt() throws Exception {
        AtomicBoolean explode = new AtomicBoolean();
        WriteFaults fatal = () -> {
            if (explode.get()) {
                throw new OutOfMemoryError("Direct buffer memory");
            }
        };
        java.util.concurrent.CompletableFuture<Throwable> died = new java.util.concurrent.CompletableFuture<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, death) -> died.complete(death));
        try (Journal journal = open(new Journal.Options(Journal.SEGMENT_BYTES_MAX, fatal), new ArrayList<>())) {
            appendAll(journal, codec, 1, "ok-");
            explode.set(true);
            ExecutionException first = assertThrows(ExecutionException.class,
                    () -> journal.append(codec.encodeFrame(event("doomed"))).get(5, TimeUnit.SECONDS));
            assertInstanceOf(JournalUnavailableException.class, first.getCause());
            ExecutionException later = assertThrows(ExecutionException.class,
                    () -> journal.append(codec.encodeFrame(event("after"))).get(1, TimeUnit.SECONDS));
            assertTrue(later.getCause().getMessage().contains("writer stopped"), later.getCause().getMessage());
            assertFalse(journal.health().writable());
            assertInstanceOf(OutOfMemoryError.class, died.get(5, TimeUnit.SECONDS),
                    "the writer dies of it, so the process exits (app.Lifeline) instead of limping on");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("ERROR journal writer stopped"));
    }

    @Test
    void aFailingSpellIsLoggedOnceWithItsCauseAndTheRecoveryToo() throws Exception {
        DiskFaults faults = new DiskFaults();
        try (Journal journal = open(new Journal.Options(Journal.SEGMENT_BYTES_MAX, faults), new ArrayList<>())) {
            faults.fail("No space left on device");
            for (int i = 0; i < 3; i++) {
                assertThrows(ExecutionException.class,
                        () -> journal.append(codec.encodeFrame(event("x"))).get(5, TimeUnit.SECONDS));
            }
            faults.heal();
            appendAll(journal, codec, 1, "back-");
        }
        String text = logged.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().filter(l -> l.contains("ERROR journal write failed")).count(), text);
        assertTrue(text.contains("reason=\"IOException: No space left on device\""), text);
        assertTrue(text.contains("INFO journal writable again"), text);
    }

    /** Damages the newest segment after two good records; returns the bytes expected in quarantine. */
    private interface TailDamage {
        byte[] apply(Path segment, long goodEnd) throws IOException;
    }

    /**
     * Bad bytes at the end of the newest segment that no valid record follows: quarantined
     * byte for byte, cut off, an ERROR line naming file, offset and length, and start-up
     * goes on with every good record.
     */
    private void assertQuarantined(String what, TailDamage damage) throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 2, "e");
        }
        Path segment = onlySegment();
        long goodEnd = Files.size(segment);
        byte[] expected = damage.apply(segment, goodEnd);
        long badAt = Files.size(segment) - expected.length;
        logged.reset();
        List<String> keys = new ArrayList<>();
        try (Journal journal = open(Journal.Options.defaults(), keys)) {
            assertEquals(expected.length, journal.quarantinedBytes(), what);
        }
        assertEquals(badAt, Files.size(segment), what + ": cut off at the first bad byte");
        Path copy = Journal.directoryIn(dataDir).resolve(Journal.QUARANTINE_DIRECTORY)
                .resolve(segment.getFileName() + "." + badAt + ".tail");
        assertArrayEquals(expected, Files.readAllBytes(copy), what + ": kept byte for byte");
        assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(copy));
        String line = logged.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains("ERROR journal tail quarantined and truncated"), what + ": " + line);
        assertTrue(line.contains("offset=" + badAt) && line.contains("bytes=" + expected.length), what + ": " + line);
        List<String> good = badAt == goodEnd ? List.of("e0", "e1") : List.of("e0");
        assertEquals(good, keys, what);
        Files.delete(copy);
        Files.delete(segment);
    }

    @Test
    void garbageZerosAPartialFrameOrAFlippedBitAtTheEndAreQuarantinedAndStartUpGoesOn() throws Exception {
        java.util.Random random = new java.util.Random(37);
        for (int size : new int[] {1, 2, 7, 8, 9, 12, 37, 100, 1000, 4096}) {
            assertQuarantined(size + " random bytes", (segment, goodEnd) -> {
                byte[] garbage = new byte[size];
                random.nextBytes(garbage);
                Corruption.appendBytes(segment, garbage);
                return garbage;
            });
        }
        assertQuarantined("4096 zeros", (segment, goodEnd) -> {
            Corruption.appendBytes(segment, new byte[4096]);
            return new byte[4096];
        });
        assertQuarantined("a partial frame", (segment, goodEnd) -> {
            byte[] frame = codec.encodeFrame(event("partial"));
            byte[] partial = java.util.Arrays.copyOf(frame, frame.length / 2);
            Corruption.appendBytes(segment, partial);
            return partial;
        });
        assertQuarantined("a flipped bit in the last frame", (segment, goodEnd) -> {
            long lastFrame = Segments.HEADER_BYTES + (goodEnd - Segments.HEADER_BYTES) / 2;
            Corruption.flipByte(segment, goodEnd - 3);
            return java.util.Arrays.copyOfRange(Files.readAllBytes(segment), (int) lastFrame, (int) goodEnd);
        });
    }

    @Test
    void aFlippedBitMidFileStillHaltsStartupAndKeepsEveryByte() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 3, "e");
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        Corruption.flipByte(segment, Segments.HEADER_BYTES + 20);
        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> open(Journal.Options.defaults(), new ArrayList<>()));
        assertEquals(Segments.HEADER_BYTES, e.offset());
        assertEquals(size, Files.size(segment), "nothing is cut off when valid records follow");
        assertFalse(Files.exists(Journal.directoryIn(dataDir).resolve(Journal.QUARANTINE_DIRECTORY)));
    }

    @Test
    void aBadRegionLongerThanOneBatchIsCorruptionEvenIfItIsZeros() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 2, "e");
        }
        Corruption.appendBytes(onlySegment(), new byte[SegmentScanner.TORN_TAIL_BYTES_MAX + 1]);
        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> open(Journal.Options.defaults(), new ArrayList<>()));
        assertTrue(e.getMessage().contains("more bytes after it than a crash can leave"), e.getMessage());
    }

    @Test
    void anOlderSegmentCutOffMidFrameHaltsStartup() throws Exception {
        Journal.Options small = fillSmallSegments(60);
        Path older = Segments.list(Journal.directoryIn(dataDir)).get(0);
        Corruption.chopTail(older, 5);
        JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> open(small, new ArrayList<>()));
        assertEquals(older, e.file());
        assertTrue(e.getMessage().contains("closed segment"), e.getMessage());
    }

    @Test
    void theTypeByteIsCoveredByTheChecksum() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 3, "e");
        }
        Path segment = onlySegment();
        long frameBytes = (Files.size(segment) - Segments.HEADER_BYTES) / 3;
        long secondFrame = Segments.HEADER_BYTES + frameBytes;
        Corruption.flipByte(segment, secondFrame + 8);
        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> open(Journal.Options.defaults(), new ArrayList<>()));
        assertEquals(secondFrame, e.offset());
    }

    @Test
    void anAppendCompletesOnlyAfterItsBatchIsForcedAndEachBatchIsForcedOnce() throws Exception {
        DiskFaults disk = new DiskFaults();
        try (Journal journal = open(new Journal.Options(Journal.SEGMENT_BYTES_MAX, disk), new ArrayList<>())) {
            disk.holdForce();
            CompletableFuture<Long> pending = journal.append(codec.encodeFrame(event("held")));
            assertTrue(disk.awaitForce(5), "the batch should reach its force");
            assertFalse(pending.isDone(), "acknowledged before the force");
            disk.releaseForce();
            pending.get(5, TimeUnit.SECONDS);
            appendAll(journal, codec, 500, "more-");
            assertEquals(journal.health().batchesWritten(), disk.forces(), "one force per batch");
        }
    }

    @Test
    void aFailedForceCutsTheWrittenBytesOffAgain() throws Exception {
        DiskFaults disk = new DiskFaults();
        try (Journal journal = open(new Journal.Options(Journal.SEGMENT_BYTES_MAX, disk), new ArrayList<>())) {
            appendAll(journal, codec, 2, "ok-");
            long sizeBefore = Files.size(onlySegment());
            disk.failForce("Input/output error");
            assertThrows(ExecutionException.class,
                    () -> journal.append(codec.encodeFrame(event("unforced"))).get(5, TimeUnit.SECONDS));
            assertEquals(sizeBefore, Files.size(onlySegment()), "bytes of a failed batch must not stay in the file");
            disk.heal();
            appendAll(journal, codec, 1, "after-");
        }
        List<String> keys = new ArrayList<>();
        open(Journal.Options.defaults(), keys).close();
        assertEquals(List.of("ok-0", "ok-1", "after-0"), keys);
    }

    @Test
    void flippedPayloadByteInAnOlderSegmentHaltsStartup() throws Exception {
        Journal.Options small = fillSmallSegments(60);
        List<Path> segments = Segments.list(Journal.directoryIn(dataDir));
        assertTrue(segments.size() >= 3);
        Path older = segments.get(0);
        long lastByteOfOlder = Files.size(older) - 2;
        Corruption.flipByte(older, lastByteOfOlder);
        JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> open(small, new ArrayList<>()));
        assertEquals(older, e.file());
    }

    @Test
    void missingMiddleSegmentHaltsStartup() throws Exception {
        Journal.Options small = fillSmallSegments(60);
        List<Path> segments = Segments.list(Journal.directoryIn(dataDir));
        Files.delete(segments.get(1));
        JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> open(small, new ArrayList<>()));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void failedWriteFailsTheAppendAndLeavesNoBytesBehind() throws Exception {
        DiskFaults faults = new DiskFaults();
        Journal.Options options = new Journal.Options(Journal.SEGMENT_BYTES_MAX, faults);
        try (Journal journal = open(options, new ArrayList<>())) {
            appendAll(journal, codec, 2, "ok-");
            long sizeBefore = Files.size(onlySegment());
            faults.fail("No space left on device");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> journal.append(codec.encodeFrame(event("lost"))).get(5, TimeUnit.SECONDS));
            assertInstanceOf(JournalUnavailableException.class, e.getCause());
            assertFalse(journal.health().writable());
            assertTrue(journal.health().failureReason().contains("No space left"));
            assertEquals(sizeBefore, Files.size(onlySegment()));
            faults.heal();
            appendAll(journal, codec, 1, "ok-again-");
            assertTrue(journal.health().writable());
        }
        List<String> keys = new ArrayList<>();
        open(Journal.Options.defaults(), keys).close();
        assertEquals(List.of("ok-0", "ok-1", "ok-again-0"), keys);
    }

    @Test
    void appendsAfterCloseFail() throws Exception {
        Journal journal = open(Journal.Options.defaults(), new ArrayList<>());
        journal.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> journal.append(codec.encodeFrame(event("late"))).get(1, TimeUnit.SECONDS));
        assertInstanceOf(JournalUnavailableException.class, e.getCause());
    }

    @Test
    void withoutAKeyPhiIsStoredInClearButApart() throws Exception {
        try (Journal journal = open(Journal.Options.defaults(), new ArrayList<>())) {
            appendAll(journal, codec, 1, "plain-");
        }
        List<StoredRecord> records = new ArrayList<>();
        Journal.open(dataDir, Journal.Options.defaults(), records::add, log).close();
        assertEquals(PhiMode.PLAIN, records.get(0).phiMode());
        assertEquals("appointment.created", records.get(0).publicPart().string("type"));
        assertNull(records.get(0).publicPart().string("first_name"));
        assertEquals("Quilla", codec.openPhi(records.get(0)).string("first_name"));
    }
}
