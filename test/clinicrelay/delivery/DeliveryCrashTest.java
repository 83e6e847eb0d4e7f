package clinicrelay.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.Await;
import clinicrelay.testing.ChildRelay;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No double texts, even across kill -9: the jar runs as a child JVM sending through the
 * fake Twilio (slowed, so sends are in flight), is killed with SIGKILL mid-way, restarts,
 * reconciles the attempts it never heard back about, and every planned message reaches
 * Twilio exactly once.
 */
class DeliveryCrashTest {
    private static final int APPOINTMENTS = 40;
    private static final Duration TWILIO_DELAY = Duration.ofMillis(150);

    @TempDir
    Path dataDir;

    private static String phone(int i) {
        return String.format(java.util.Locale.ROOT, "+1617555%04d", 1000 + i);
    }

    private static byte[] event(int i) {
        return ("{\"event_id\":\"crash-" + i + "\",\"event_type\":\"appointment.created\",\"appointment\":{\"id\":\"appt-" + i
                + "\",\"start_time\":\"" + Fixtures.START_TIME + "\",\"provider_name\":\"Dr. Jane Smith\","
                + "\"patient\":{\"first_name\":\"P" + i + "\",\"phone\":\"" + phone(i) + "\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyPlannedMessageReachesTwilioExactlyOnceAcrossSigkill() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.slowDown(TWILIO_DELAY);
            Map<String, String> env = Map.of("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "DATA_DIR", dataDir.toString(),
                    "PORT", "0", "TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN,
                    "TWILIO_PHONE_NUMBER", "+15005550006", "TWILIO_API_BASE", twilio.base().toString(),
                    "QUIET_HOURS", "off", "SMS_CONSENT", "assumed", "PUBLIC_BASE_URL", "https://relay.example-clinic.com");
            try (ChildRelay child = ChildRelay.start(env, "serve")) {
                for (int i = 0; i < APPOINTMENTS; i++) {
                    assertEquals(200, child.postSigned(event(i)));
                }
                Await.until("a quarter of the texts sent", Duration.ofSeconds(30), () -> twilio.created().size() >= APPOINTMENTS / 4);
                child.kill();
            }
            int beforeRestart = twilio.created().size();
            assertTrue(beforeRestart < APPOINTMENTS, "the kill came too late to test anything: " + beforeRestart);
            try (ChildRelay restarted = ChildRelay.start(env, "serve")) {
                Await.until("every text after the restart", Duration.ofSeconds(60), () -> twilio.messages().size() >= APPOINTMENTS);
                // A quiet period, not a wait for something: a wrong resend would show up within it.
                Thread.sleep(TWILIO_DELAY.toMillis() * 4);
                for (int i = 0; i < APPOINTMENTS; i++) {
                    assertEquals(1, twilio.messagesTo(phone(i)), "messages to appointment " + i);
                }
                assertEquals(APPOINTMENTS, twilio.messages().size());
                assertTrue(restarted.output().contains("reconciling an attempt left without a result"),
                        "the kill should leave sends in flight:\n" + restarted.output());
            }
        }
    }
}
