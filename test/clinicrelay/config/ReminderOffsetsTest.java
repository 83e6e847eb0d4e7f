package clinicrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.ReminderOffsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReminderOffsetsTest {
    @Test
    void acceptsTheDocumentedFormsLongestFirst() {
        assertEquals(List.of(Duration.ofHours(72), Duration.ofHours(24), Duration.ofHours(2)), ReminderOffsets.parse("2h, 72h,24h"));
        assertEquals(List.of(Duration.ofMinutes(30)), ReminderOffsets.parse("30m"));
        assertEquals(List.of(Duration.ofSeconds(45)), ReminderOffsets.parse("45s"));
        assertEquals(List.of(Duration.ofDays(2), Duration.ofHours(24)), ReminderOffsets.parse("2d,24h,24h"));
        assertEquals(List.of(), ReminderOffsets.parse(" , "));
    }

    @Test
    void refusesWhatIsNotADurationNamingTheEntry() {
        for (String bad : List.of("24", "h", "-1h", "0m", "36d", "1w", "abc")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReminderOffsets.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("REMINDER_OFFSETS"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ReminderOffsets.parse("1h,2h,3h,4h,5h,6h,7h,8h,9h"));
    }

    @Test
    void labelsAreShortAndStable() {
        assertEquals("24h", ReminderOffsets.label(Duration.ofHours(24)));
        assertEquals("48h", ReminderOffsets.label(Duration.ofDays(2)));
        assertEquals("30m", ReminderOffsets.label(Duration.ofMinutes(30)));
        assertEquals("45s", ReminderOffsets.label(Duration.ofSeconds(45)));
    }
}
