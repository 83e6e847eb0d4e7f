package clinicrelay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.log.Log;
import clinicrelay.testing.Await;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch's promises: an entry's in-order effect runs before its committer sees it
 * stored, in journal order, and before the settled position passes it; an entry given up
 * on that reaches the disk later leaves the state not at rest.
 */
class DurableBatchTest {
    @TempDir
    Path dataDir;

    private final Log log = new Log(new ByteArrayOutputStream(), Clock.systemUTC());
    private final RecordCodec codec = RecordCodec.plain();

    private static JournalRecord record(String key) {
        return new JournalRecord(RecordType.EVENT_RECEIVED, key, "{}".getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void inOrderEffectsRunInJournalOrderBeforeTheCommitReturnsAndBeforeTheSettledPositionPassesThem() throws Exception {
        List<String> effects = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> settledAtEffect = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), r -> { }, log)) {
            DurableBatch batch = new DurableBatch(journal, codec, 10_000);
            for (int i = 0; i < 200; i++) {
                String key = "k" + i;
                batch.add(List.of(record(key + "a"), record(key + "b")), (position, failure) -> {
                    effects.add(key);
                    settledAtEffect.add(position);
                });
            }
            assertEquals(DurableBatch.Outcome.STORED, batch.commit());
            assertEquals(200, effects.size(), "every effect ran before commit returned");
            for (int i = 0; i < 200; i++) {
                assertEquals("k" + i, effects.get(i));
            }
            long settled = journal.settledPosition();
            assertTrue(settledAtEffect.stream().allMatch(p -> p >= 0 && p < settled));
        }
    }

    @Test
    void anEntryGivenUpOnThatLandsLaterLeavesTheStateNotAtRest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WriteFaults slowDisk = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (Journal journal = Journal.open(dataDir, new Journal.Options(Journal.SEGMENT_BYTES_MAX, slowDisk), r -> { }, log)) {
            DurableBatch.Stragglers stragglers = new DurableBatch.Stragglers();
            assertTrue(stragglers.quiet());
            DurableBatch batch = new DurableBatch(journal, codec, 50, outcome -> { }, stragglers);
            boolean[] applied = {false};
            batch.add(List.of(record("slow")), () -> applied[0] = true, () -> { });
            assertEquals(DurableBatch.Outcome.TIMED_OUT, batch.commit());
            assertFalse(applied[0]);
            assertFalse(stragglers.quiet(), "it may still be written");
            release.countDown();
            Await.until("the slow write lands", () -> journal.settledPosition() > JournalPosition.of(1, 16));
            assertFalse(stragglers.quiet(), "it landed without its effect: not at rest until a restart");
        }
    }
}
