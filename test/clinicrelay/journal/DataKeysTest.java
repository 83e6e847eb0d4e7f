package clinicrelay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.json.JsonObject;
import clinicrelay.log.Log;
import clinicrelay.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patient data sealed under weekly data keys wrapped by PHI_ENCRYPTION_KEY: it opens with
 * the right key only, a destroyed week's data is erased for good (and shown as erased),
 * the consent key is never destroyed, a rotation re-wraps the keys, the key file survives
 * a damaged copy, and records sealed before data keys still open.
 */
class DataKeysTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Instant VISIT_DEC = Instant.parse("2026-12-10T15:00:00Z");
    private static final Instant VISIT_JAN = Instant.parse("2027-01-20T15:00:00Z");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(NOW);
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(logged, clock);
    private final SecureRandom random = new SecureRandom();
    private final String key = randomKey();
    private final String otherKey = randomKey();

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private DataKeys keys(String master, String previous) throws Exception {
        return DataKeys.open(dataDir, PhiCipher.fromBase64(master, random),
                previous == null ? null : PhiCipher.fromBase64(previous, random), random, clock, log, true);
    }

    private static JournalRecord visit(String id, Instant visit, int period) {
        return new JournalRecord(RecordType.EVENT_RECEIVED, id, "{\"type\":\"appointment.created\"}".getBytes(StandardCharsets.UTF_8),
                ("{\"first_name\":\"Quilla-" + id + "\"}").getBytes(StandardCharsets.UTF_8), period);
    }

    private List<StoredRecord> write(RecordCodec codec, JournalRecord... records) throws Exception {
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), record -> { }, log)) {
            for (JournalRecord record : records) {
                journal.append(codec.encodeFrame(record)).get(10, TimeUnit.SECONDS);
            }
        }
        return read();
    }

    private List<StoredRecord> read() throws Exception {
        List<StoredRecord> records = new ArrayList<>();
        JournalReader.read(Journal.directoryIn(dataDir), records::add);
        return records;
    }

    @Test
    void sealedUnderTheVisitsWeekOpensWithTheKeyAndNothingIsInClear() throws Exception {
        RecordCodec codec = new RecordCodec(keys(key, null), clock);
        List<StoredRecord> records = write(codec, visit("a", VISIT_DEC, KeyPeriods.forVisit(VISIT_DEC, NOW)),
                visit("b", VISIT_JAN, KeyPeriods.forVisit(VISIT_JAN, NOW)));
        for (Path file : Files.newDirectoryStream(Journal.directoryIn(dataDir))) {
            assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("Quilla"), file.toString());
        }
        assertEquals(PhiMode.SEALED_DATA_KEY, records.get(0).phiMode());
        assertNull(codec.keyProblem(records.get(0)));
        assertEquals("Quilla-a", codec.openPhi(records.get(0)).string("first_name"));
        assertEquals("Quilla-b", codec.openPhi(records.get(1)).string("first_name"));
        Path keyDir = DataKeys.directoryIn(dataDir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir.resolve("data-keys"))));
        assertEquals(2, keys(key, null).count(DataKeys.State.ALIVE), "one key per week with data, read back");

        DataKeys.KeyFileException wrong = assertThrows(DataKeys.KeyFileException.class, () -> keys(otherKey, null));
        assertTrue(wrong.getMessage().contains("PHI_ENCRYPTION_KEY is not the key that wrapped the data keys"), wrong.getMessage());
        assertTrue(RecordCodec.plain().keyProblem(records.get(0)).contains("PHI_ENCRYPTION_KEY is not set"));
    }

    @Test
    void aDestroyedWeekIsErasedForGoodOtherWeeksAndConsentStayReadable() throws Exception {
        DataKeys keys = keys(key, null);
        RecordCodec codec = new RecordCodec(keys, clock);
        int december = KeyPeriods.forVisit(VISIT_DEC, NOW);
        List<StoredRecord> records = write(codec, visit("dec", VISIT_DEC, december),
                visit("jan", VISIT_JAN, KeyPeriods.forVisit(VISIT_JAN, NOW)), visit("stop", null, KeyPeriods.CONSENT));
        assertEquals(1, keys.eraseThrough(december));
        assertEquals(1, keys.eraseThrough(KeyPeriods.CONSENT + 1_000_000), "January's goes; consent is never destroyed");
        assertEquals(DataKeys.State.ALIVE, keys.state(KeyPeriods.CONSENT));
        RecordCodec reopened = new RecordCodec(keys(key, null), clock);
        assertTrue(reopened.isErased(records.get(0)));
        assertNull(reopened.openPhi(records.get(0)), "erased: no patient data");
        assertNull(reopened.keyProblem(records.get(0)), "an erased record does not stop start-up");
        assertTrue(reopened.isErased(records.get(1)));
        assertEquals("Quilla-stop", reopened.openPhi(records.get(2)).string("first_name"));

        // Data about a week already erased is sealed under the current week's key instead.
        clock.set(VISIT_JAN.plusSeconds(86_400 * 60));
        List<StoredRecord> late = write(reopened, visit("late", VISIT_DEC, december));
        StoredRecord lateRecord = late.get(late.size() - 1);
        assertFalse(reopened.isErased(lateRecord));
        assertEquals("Quilla-late", reopened.openPhi(lateRecord).string("first_name"));
    }

    @Test
    void aRotationReWrapsTheKeysAndTheOldKeyNoLongerOpensThem() throws Exception {
        RecordCodec codec = new RecordCodec(keys(key, null), clock);
        List<StoredRecord> records = write(codec, visit("a", VISIT_DEC, KeyPeriods.forVisit(VISIT_DEC, NOW)));
        long journalBytes = Files.size(records.get(0).segment());
        RecordCodec rotated = new RecordCodec(keys(otherKey, key), clock);
        assertTrue(logged.toString().contains("data keys re-wrapped under the new PHI_ENCRYPTION_KEY"), logged.toString());
        assertEquals("Quilla-a", rotated.openPhi(read().get(0)).string("first_name"));
        assertEquals(journalBytes, Files.size(records.get(0).segment()), "the journal is not rewritten");
        assertEquals("Quilla-a", new RecordCodec(keys(otherKey, null), clock).openPhi(read().get(0)).string("first_name"));
        assertThrows(DataKeys.KeyFileException.class, () -> keys(key, null));
    }

    @Test
    void aDamagedCopyOfTheKeyFileIsRepairedFromTheOtherAndBothDamagedStopStartUp() throws Exception {
        RecordCodec codec = new RecordCodec(keys(key, null), clock);
        List<StoredRecord> records = write(codec, visit("a", VISIT_DEC, KeyPeriods.forVisit(VISIT_DEC, NOW)));
        Path main = DataKeys.directoryIn(dataDir).resolve("data-keys");
        Path mirror = DataKeys.directoryIn(dataDir).resolve("data-keys.mirror");
        byte[] good = Files.readAllBytes(main);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(main, bad);
        assertEquals("Quilla-a", new RecordCodec(keys(key, null), clock).openPhi(records.get(0)).string("first_name"));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(main), Files.readAllBytes(mirror)), "repaired");
        Files.write(main, bad);
        Files.write(mirror, bad);
        DataKeys.KeyFileException both = assertThrows(DataKeys.KeyFileException.class, () -> keys(key, null));
        assertTrue(both.getMessage().contains("both damaged"), both.getMessage());

        Files.delete(main);
        Files.delete(mirror);
        String problem = new RecordCodec(keys(key, null), clock).keyProblem(records.get(0));
        assertTrue(problem.contains("does not hold"), "a journal without its keys is refused, not read as erased: " + problem);
    }

    @Test
    void aRecordSealedBeforeDataKeysStillOpensAlsoDuringARotation() throws Exception {
        // Written by hand the way earlier versions sealed: under PHI_ENCRYPTION_KEY itself.
        byte[] keyBytes = "rec".getBytes(StandardCharsets.UTF_8);
        byte[] aad = new byte[1 + keyBytes.length];
        aad[0] = (byte) RecordType.EVENT_RECEIVED.code();
        System.arraycopy(keyBytes, 0, aad, 1, keyBytes.length);
        byte[] sealed = PhiCipher.fromBase64(key, random).seal("{\"first_name\":\"Quilla-old\"}".getBytes(StandardCharsets.UTF_8), aad);
        byte[] publicPart = "{}".getBytes(StandardCharsets.UTF_8);
        int payloadLength = 2 + keyBytes.length + 4 + publicPart.length + 1 + sealed.length;
        byte[] frame = new byte[RecordCodec.FRAME_HEADER_BYTES + payloadLength];
        RecordCodec.putInt(frame, 0, payloadLength);
        frame[8] = (byte) RecordType.EVENT_RECEIVED.code();
        int at = RecordCodec.FRAME_HEADER_BYTES;
        frame[at++] = 0;
        frame[at++] = (byte) keyBytes.length;
        System.arraycopy(keyBytes, 0, frame, at, keyBytes.length);
        at += keyBytes.length;
        RecordCodec.putInt(frame, at, publicPart.length);
        at += 4;
        System.arraycopy(publicPart, 0, frame, at, publicPart.length);
        at += publicPart.length;
        frame[at++] = (byte) PhiMode.SEALED.code();
        System.arraycopy(sealed, 0, frame, at, sealed.length);
        RecordCodec.putInt(frame, 4, RecordCodec.checksum(frame, frame, RecordCodec.FRAME_HEADER_BYTES, payloadLength));
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), record -> { }, log)) {
            journal.append(frame).get(10, TimeUnit.SECONDS);
        }
        StoredRecord old = read().get(0);
        assertEquals(PhiMode.SEALED, old.phiMode());
        assertEquals("Quilla-old", new RecordCodec(keys(key, null), clock).openPhi(old).string("first_name"));
        RecordCodec rotating = new RecordCodec(keys(otherKey, key), clock);
        assertNull(rotating.keyProblem(old));
        assertEquals("Quilla-old", rotating.openPhi(old).string("first_name"));
        assertTrue(new RecordCodec(keys(otherKey, null), clock).keyProblem(old).contains("not the key"));
        assertEquals(JsonObject.class, rotating.openPhi(old).getClass());
    }
}
