package clinicrelay.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeenEventsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(30);

    @Test
    void remembersEveryKeyWithinTheWindowAcrossManyGrowths() {
        SeenEvents seen = new SeenEvents(WINDOW);
        int count = 100_000;
        for (int i = 0; i < count; i++) {
            assertTrue(seen.add(seen.digest("zocdoc:evt-" + i), NOW.plusSeconds(i)));
        }
        assertEquals(count, seen.size());
        for (int i = 0; i < count; i++) {
            assertTrue(seen.contains(seen.digest("zocdoc:evt-" + i)), "forgot evt-" + i);
            assertFalse(seen.add(seen.digest("zocdoc:evt-" + i), NOW.plusSeconds(count)));
        }
        assertFalse(seen.contains(seen.digest("zocdoc:evt-" + count)));
        assertFalse(seen.contains(seen.digest("calcom:evt-0")), "keys of other sources are other keys");
        assertEquals(count, seen.size());
    }

    @Test
    void keysOlderThanTheWindowBehindTheNewestEventAreForgottenAndMemoryFollowsOneWindow() {
        SeenEvents seen = new SeenEvents(WINDOW);
        // a year of history, 2 000 events a day
        int perDay = 2_000;
        for (int day = 0; day < 365; day++) {
            for (int i = 0; i < perDay; i++) {
                seen.add(seen.digest("zocdoc:d" + day + "-" + i), NOW.plus(Duration.ofDays(day)).plusSeconds(i));
            }
        }
        // Expired keys leave at the next rebuild: at most a window's worth plus what came since.
        assertTrue(seen.size() <= 2 * 31 * perDay, "a window's worth kept, not a year's (730 000): " + seen.size());
        assertTrue(seen.contains(seen.digest("zocdoc:d364-5")), "the newest day is remembered");
        assertTrue(seen.contains(seen.digest("zocdoc:d336-5")), "28 days back is inside the window");
        assertFalse(seen.contains(seen.digest("zocdoc:d0-5")), "a year back is outside it");
    }

    @Test
    void forgettingFollowsTheEventsOwnClockSoReplayForgetsWhatLiveForgot() {
        SeenEvents live = new SeenEvents(WINDOW);
        SeenEvents replay = new SeenEvents(WINDOW);
        for (int i = 0; i < 50_000; i++) {
            Instant at = NOW.plus(Duration.ofMinutes(2L * i));
            live.add(live.digest("k" + i), at);
            replay.add(replay.digest("k" + i), at);
        }
        for (int i = 0; i < 50_000; i += 97) {
            assertEquals(live.contains(live.digest("k" + i)), replay.contains(replay.digest("k" + i)), "k" + i);
        }
    }
}
