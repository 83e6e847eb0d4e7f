package clinicrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.QuietHours;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private final QuietHours night = QuietHours.parse("21:00-08:00");

    private static ZonedDateTime at(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(NEW_YORK);
    }

    @Test
    void windowsCrossingMidnightCoverBothSides() {
        assertTrue(night.isQuiet(LocalTime.of(21, 0)));
        assertTrue(night.isQuiet(LocalTime.of(23, 59)));
        assertTrue(night.isQuiet(LocalTime.of(3, 0)));
        assertFalse(night.isQuiet(LocalTime.of(8, 0)));
        assertFalse(night.isQuiet(LocalTime.of(20, 59)));
        QuietHours lunch = QuietHours.parse("12:00-13:00");
        assertTrue(lunch.isQuiet(LocalTime.of(12, 30)));
        assertFalse(lunch.isQuiet(LocalTime.of(13, 0)));
    }

    @Test
    void messagesInsideTheWindowWaitForItsEnd() {
        assertEquals(at("2026-12-02T08:00"), night.nextAllowed(at("2026-12-01T22:15")));
        assertEquals(at("2026-12-02T08:00"), night.nextAllowed(at("2026-12-02T03:00")));
        assertEquals(at("2026-12-01T10:00"), night.nextAllowed(at("2026-12-01T10:00")));
    }

    @Test
    void remindersInsideTheWindowMoveToTheLastMinuteBeforeIt() {
        assertEquals(at("2026-12-01T20:59"), night.lastAllowedBefore(at("2026-12-01T22:15")));
        assertEquals(at("2026-12-01T20:59"), night.lastAllowedBefore(at("2026-12-02T06:30")));
        assertEquals(at("2026-12-01T15:00"), night.lastAllowedBefore(at("2026-12-01T15:00")));
    }

    @Test
    void offDisablesItAndBadValuesAreNamed() {
        assertTrue(QuietHours.parse("off").isOff());
        assertFalse(QuietHours.OFF.isQuiet(LocalTime.of(3, 0)));
        assertEquals(at("2026-12-01T03:00"), QuietHours.OFF.nextAllowed(at("2026-12-01T03:00")));
        for (String bad : new String[] {"9pm-8am", "21:00", "21:00-21:00", "25:00-08:00"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuietHours.parse(bad));
            assertTrue(e.getMessage().startsWith("QUIET_HOURS=" + bad), e.getMessage());
        }
    }
}
