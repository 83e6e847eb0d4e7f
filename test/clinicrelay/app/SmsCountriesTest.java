package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.event.PhoneCountries;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Texts go only to SMS_ALLOWED_COUNTRIES (default US,CA): a booking for a number abroad,
 * Caribbean +1 numbers included, is not texted, and the refusal is counted.
 */
class SmsCountriesTest {
    @TempDir
    Path dataDir;

    @Test
    void aNumberOutsideTheAllowedCountriesIsNotTextedAndTheRefusalIsCounted() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir, Map.of("DRY_RUN", "true", "QUIET_HOURS", "off"), WriteFaults.NONE)) {
            String jamaica = Fixtures.fullEvent("evt-jm", "appointment.created", "appt-jm")
                    .replace(Fixtures.PHONE_RAW, "+1 876 555 0123");
            assertEquals(200, relay.postSigned(jamaica.getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-us", "appointment.created", "appt-us")).statusCode());
            relay.settle();
            List<DeliveryView> deliveries = relay.relay().engine().snapshot().get(10, TimeUnit.SECONDS);
            DeliveryView abroad = deliveries.stream().filter(d -> d.appointmentId().equals("appt-jm")
                    && d.kind().wireName().equals("confirmation_sms")).findFirst().orElseThrow();
            assertEquals(DeliveryState.SKIPPED, abroad.state());
            assertEquals("country not allowed", abroad.lastError());
            assertTrue(deliveries.stream().anyMatch(d -> d.appointmentId().equals("appt-us")
                    && d.kind().wireName().equals("confirmation_sms") && d.state() == DeliveryState.SENT));
            assertTrue(relay.get("/metrics").body().contains("clinic_relay_sms_refused_total{reason=\"country\"} 1"),
                    relay.get("/metrics").body());
        }
    }

    @Test
    void numbersAreClassedByCallingCodeAndWithinPlusOneByAreaCode() {
        assertEquals("US", PhoneCountries.of("+16175550199"));
        assertEquals("CA", PhoneCountries.of("+14165550199"));
        assertEquals("JM", PhoneCountries.of("+18765550123"));
        assertEquals("PR", PhoneCountries.of("+17875550123"));
        assertEquals("GB", PhoneCountries.of("+447700900123"));
        assertEquals("PT", PhoneCountries.of("+351912345678"));
        assertEquals(PhoneCountries.UNKNOWN, PhoneCountries.of("+8821234567"));
        assertEquals(PhoneCountries.UNKNOWN, PhoneCountries.of("617-555-0199"));
    }
}
