package clinicrelay.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void agreesWithJavaTimeOnEveryCommonForm() {
        for (String text : List.of("2026-12-01T15:30:00-05:00", "2026-12-01T15:30-05:00", "2026-12-01T20:30:00Z",
                "2026-12-01T20:30:00.5Z", "2026-12-01T20:30:00.123456789+05:45", "2024-02-29T00:00:00+00:00",
                "2026-12-01T15:30:00+14:00", "2026-12-01T15:30:00-12:00")) {
            assertEquals(OffsetDateTime.parse(text), Timestamps.parseOffsetDateTime(text), text);
        }
    }

    @Test
    void otherValidFormsFallBackToJavaTime() {
        String withSecondsInOffset = "2026-12-01T15:30:00+05:30:15";
        assertEquals(OffsetDateTime.parse(withSecondsInOffset), Timestamps.parseOffsetDateTime(withSecondsInOffset));
    }

    @Test
    void invalidTextIsRefused() {
        for (String text : List.of("2026-12-01T15:30:00", "2026-02-30T10:00:00Z", "2026-12-01 15:30:00Z",
                "2026-12-01T25:00:00Z", "next Tuesday", "2026-12-01T15:30:00+25:00")) {
            assertThrows(DateTimeParseException.class, () -> Timestamps.parseOffsetDateTime(text), text);
        }
    }
}
