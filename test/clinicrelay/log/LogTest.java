package clinicrelay.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogTest {
    @Test
    void timestampsMatchJavaTimeAcrossCenturiesAndLeapDays() {
        Random random = new Random(42);
        long[] fixed = {0L, -1L, 951_782_400_000L, 1_709_164_800_123L, 4_102_444_799_999L, 1_795_000_000_000L, -62_135_596_800_000L};
        for (long millis : fixed) {
            assertSameAsJavaTime(millis);
        }
        for (int i = 0; i < 10_000; i++) {
            assertSameAsJavaTime(random.nextLong() % 8_000_000_000_000L);
        }
    }

    private static void assertSameAsJavaTime(long millis) {
        StringBuilder ours = new StringBuilder();
        IsoUtcFormat.appendIsoUtc(millis, ours);
        String expected = Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MILLIS).toString();
        if (!expected.contains(".")) {
            expected = expected.replace("Z", ".000Z");
        }
        assertEquals(expected, ours.toString(), "millis " + millis);
    }

    @Test
    void fieldsAreCleanedCutAndQuoted() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Log log = new Log(out, Clock.fixed(Instant.parse("2026-11-27T06:33:21.059Z"), ZoneOffset.UTC));
        log.info("webhook", Field.eventId("evt\nFAKE level=ERROR"), Field.appointmentId("jane@example.com"),
                Field.reason("a b"), Field.eventType("x".repeat(200)), Field.latencyMillis(1_234_567));
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("2026-11-27T06:33:21.059Z INFO webhook "), line);
        assertEquals(1, line.lines().count(), "no forged second line");
        assertTrue(line.contains("event_id=evt_FAKE_level=ERROR "), line);
        assertTrue(line.contains("appointment_id=jane_example.com"), line);
        assertTrue(line.contains("reason=\"a b\""), line);
        assertTrue(line.contains("event_type=" + "x".repeat(Field.VALUE_CHARS_MAX) + "~"), line);
        assertTrue(line.contains("latency_ms=1.23"), line);
        assertTrue(line.endsWith("\n"));
    }

    @Test
    void latencyIsRoundedToHundredthsOfAMillisecond() {
        assertEquals("0.00", Field.latencyMillis(0).value());
        assertEquals("0.01", Field.latencyMillis(5_000).value());
        assertEquals("0.10", Field.latencyMillis(100_000).value());
        assertEquals("12.35", Field.latencyMillis(12_345_678).value());
    }

    @Test
    void throttledWarningsStopAtTheLimitAndReportWhatWasLeftOut() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        clinicrelay.testing.MutableClock clock = new clinicrelay.testing.MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        Log log = new Log(out, clock);
        for (int i = 0; i < 1000; i++) {
            log.warnThrottled("invalid_signature", "webhook", Field.outcome("invalid_signature"));
        }
        log.warnThrottled("invalid_json", "webhook", Field.outcome("invalid_json"));
        clock.advance(java.time.Duration.ofSeconds(1));
        log.warnThrottled("invalid_signature", "webhook", Field.outcome("invalid_signature"));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(Throttle.LINES_PER_SECOND_MAX + 2, lines.length);
        assertTrue(lines[Throttle.LINES_PER_SECOND_MAX].contains("outcome=invalid_json"), "kinds are counted apart");
        assertTrue(lines[lines.length - 1].endsWith("suppressed_before=" + (1000 - Throttle.LINES_PER_SECOND_MAX)),
                lines[lines.length - 1]);
    }
}
