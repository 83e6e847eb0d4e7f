package clinicrelay.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.json.JsonObject;
import clinicrelay.testing.Await;
import clinicrelay.testing.ChildRelay;
import clinicrelay.testing.FakeSalesforce;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No duplicate CRM record across kill -9: the jar runs as a child JVM filing appointments in
 * a local Salesforce whose creates are answered late, is killed with SIGKILL while creates
 * are in flight (done by Salesforce, never heard of by the relay), restarts, runs those
 * steps again, and every patient ends with exactly one Contact and one Task.
 */
class CrmCrashTest {
    private static final int APPOINTMENTS = 8;

    @TempDir
    Path dataDir;

    private static byte[] event(int i) {
        return ("{\"event_id\":\"crm-crash-" + i + "\",\"event_type\":\"appointment.created\",\"appointment\":{\"id\":\"appt-" + i
                + "\",\"start_time\":\"" + Fixtures.START_TIME + "\",\"provider\":{\"id\":\"pr_1\",\"name\":\"Dr. Jane Smith\"},"
                + "\"patient\":{\"first_name\":\"P" + i + "\",\"last_name\":\"Crash\",\"email\":\"p" + i + "@crash.example\","
                + "\"phone\":\"" + String.format(Locale.ROOT, "+1617555%04d", 2000 + i) + "\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyAppointmentIsFiledExactlyOnceAcrossSigkill() throws Exception {
        try (FakeSalesforce org = FakeSalesforce.start()) {
            org.slowCreates(Duration.ofMillis(400));
            Map<String, String> env = new HashMap<>(org.env());
            env.putAll(Map.of("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "DATA_DIR", dataDir.toString(), "PORT", "0",
                    "CLINIC_TIMEZONE", "America/New_York"));
            try (ChildRelay child = ChildRelay.start(env, "serve")) {
                for (int i = 0; i < APPOINTMENTS; i++) {
                    assertEquals(200, child.postSigned(event(i)));
                }
                Await.until("creates in flight", Duration.ofSeconds(30), () -> org.tasks().size() >= 1);
                child.kill();
            }
            assertTrue(org.tasks().size() < APPOINTMENTS, "the kill came too late to test anything: " + org.tasks().size());
            org.slowCreates(Duration.ZERO);
            try (ChildRelay restarted = ChildRelay.start(env, "serve")) {
                Await.until("every appointment filed", Duration.ofSeconds(60), () -> org.tasks().size() >= APPOINTMENTS);
                // A quiet period, not a wait for something: a duplicate made late would show up within it.
                Thread.sleep(1_500);
                assertEquals(APPOINTMENTS, org.contacts().size(), "one Contact per patient: " + org.contacts().keySet());
                assertEquals(APPOINTMENTS, org.tasks().size(), "one Task per appointment");
                for (int i = 0; i < APPOINTMENTS; i++) {
                    String marker = "[ref appt-" + i + "]";
                    assertEquals(1, org.tasks().values().stream().map(t -> t.string("Subject")).filter(s -> s.endsWith(marker)).count(),
                            marker);
                }
                for (JsonObject task : org.tasks().values()) {
                    assertTrue(org.contacts().containsKey(task.string("WhoId")), "every Task on a Contact that exists");
                }
            }
        }
    }
}
