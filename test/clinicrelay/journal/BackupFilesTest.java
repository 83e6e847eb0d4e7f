package clinicrelay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.log.Log;
import clinicrelay.testing.Corruption;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups at the file level: sealed segments are copied once, the live one up to its last whole record. */
class BackupFilesTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path target;

    private final Log log = new Log(new ByteArrayOutputStream(), Clock.systemUTC());

    @Test
    void sealedSegmentsAreCopiedOnceAndTheLiveOneUpToItsLastWholeRecord() throws Exception {
        RecordCodec codec = RecordCodec.plain();
        try (Journal journal = Journal.open(dataDir, new Journal.Options(4096, WriteFaults.NONE), record -> { }, log)) {
            for (int i = 0; i < 60; i++) {
                journal.append(codec.encodeFrame(new JournalRecord(RecordType.EVENT_RECEIVED, "r" + i,
                        ("{\"pad\":\"" + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8), null))).get(10, TimeUnit.SECONDS);
            }
        }
        List<Path> segments = Segments.list(Journal.directoryIn(dataDir));
        Path live = segments.get(segments.size() - 1);
        long whole = Files.size(live);
        Corruption.appendBytes(live, new byte[] {0, 0, 1, 7, 9}); // a record being written as the copy is taken

        Backup.Result first = Backup.take(dataDir, target, log);
        assertEquals(segments.size(), first.segmentsCopied());
        assertEquals(whole, first.liveSegmentBytes());
        assertEquals(whole, Files.size(Journal.directoryIn(target).resolve(live.getFileName())), "cut after the last whole record");
        Backup.Result second = Backup.take(dataDir, target, log);
        assertEquals(segments.size() - 1, second.segmentsAlreadyThere(), "sealed segments never change: copied once");
        assertEquals(1, second.segmentsCopied());

        List<String> keys = new ArrayList<>();
        JournalReader.read(Journal.directoryIn(target), record -> keys.add(record.key()));
        assertEquals(60, keys.size());
        assertTrue(keys.get(59).equals("r59"));
    }
}
