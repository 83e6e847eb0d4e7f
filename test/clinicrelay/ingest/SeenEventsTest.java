package clinicrelay.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeenEventsTest {
    @Test
    void remembersEveryKeyAcrossManyGrowths() {
        SeenEvents seen = new SeenEvents();
        int count = 100_000;
        for (int i = 0; i < count; i++) {
            assertTrue(seen.add(seen.digest("zocdoc:evt-" + i)));
        }
        assertEquals(count, seen.size());
        for (int i = 0; i < count; i++) {
            assertTrue(seen.contains(seen.digest("zocdoc:evt-" + i)), "forgot evt-" + i);
            assertFalse(seen.add(seen.digest("zocdoc:evt-" + i)));
        }
        assertFalse(seen.contains(seen.digest("zocdoc:evt-" + count)));
        assertFalse(seen.contains(seen.digest("calcom:evt-0")), "keys of other sources are other keys");
        assertEquals(count, seen.size());
    }
}
