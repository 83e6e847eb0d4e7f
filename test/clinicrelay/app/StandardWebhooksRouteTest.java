package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryView;
import clinicrelay.journal.StoredRecord;
import clinicrelay.journal.WriteFaults;
import clinicrelay.signature.StandardWebhooksSignature;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /webhooks/standard} on a real relay: a Standard Webhooks sender's signed full
 * appointment is stored and planned like a Zocdoc one, duplicates are found by the signed
 * webhook-id, a bad signature stores nothing, and without a secret the route does not exist.
 */
class StandardWebhooksRouteTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] KEY = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    @TempDir
    Path dataDir;

    private static HttpResponse<String> post(TestRelay relay, String id, byte[] body, byte[] key) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        return relay.post("/webhooks/standard", body, Map.of("webhook-id", id, "webhook-timestamp", Long.toString(now),
                "webhook-signature", StandardWebhooksSignature.sign(key, id, now, body), "Content-Type", "application/json"));
    }

    @Test
    void aSignedAppointmentIsStoredAndPlannedAndItsIdFindsDuplicates() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir, Map.of("STANDARD_WEBHOOK_SECRET", SECRET, "DRY_RUN", "true",
                "QUIET_HOURS", "off"), WriteFaults.NONE)) {
            byte[] body = Fixtures.fullEventBytes("evt-std-1", "appointment.created", "appt-std-1");
            HttpResponse<String> first = post(relay, "msg_1", body, KEY);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("{\"received\":true}", first.body());
            assertEquals("{\"received\":true,\"duplicate\":true}", post(relay, "msg_1", body, KEY).body(),
                    "the sender's retry: the same webhook-id");
            assertEquals(401, post(relay, "msg_2", body, Base64.getDecoder().decode("b3RoZXIta2V5LW9mLXR3ZW50eS1mb3VyLWJ5dGVz"))
                    .statusCode(), "another key");
            List<StoredRecord> stored = relay.storedRecords();
            assertEquals(1, stored.size(), "one event stored: " + stored);
            assertEquals("standard:msg_1", stored.get(0).key());
            relay.settle();
            List<DeliveryView> planned = relay.relay().engine().snapshot().get(10, TimeUnit.SECONDS);
            assertTrue(planned.stream().anyMatch(d -> d.appointmentId().equals("appt-std-1")
                    && d.kind().wireName().equals("confirmation_sms")), "planned like a Zocdoc booking: " + planned);
            assertTrue(relay.logText().contains("source=standard outcome=accepted"), relay.logText());
            for (String phi : Fixtures.PHI) {
                assertFalse(relay.logText().contains(phi), "patient data in the log: " + phi);
            }
        }
    }

    @Test
    void withoutASecretTheRouteDoesNotExist() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir)) {
            assertEquals(404, post(relay, "msg_1", Fixtures.fullEventBytes("e", "appointment.created", "a"), KEY).statusCode());
        }
    }
}
