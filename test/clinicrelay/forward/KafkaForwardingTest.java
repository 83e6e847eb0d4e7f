package clinicrelay.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.Await;
import clinicrelay.testing.FakeKafkaRest;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka REST sink against a proxy that speaks the v2 API: batches keyed by appointment,
 * records it refuses sent again, a 503 with Retry-After waited out, a lost answer resent,
 * and through all of it every event present and each appointment's events in order.
 */
class KafkaForwardingTest {
    private static final int APPOINTMENTS = 5;
    private static final int EVENTS = 60;

    @TempDir
    Path dataDir;

    @Test
    void everyEventReachesTheTopicKeyedByAppointmentAndInOrderPerAppointment() throws Exception {
        try (FakeKafkaRest proxy = FakeKafkaRest.start()) {
            Map<String, String> env = new HashMap<>();
            env.put("FORWARD_KAFKA_REST_URL", proxy.url().toString());
            env.put("FORWARD_KAFKA_TOPIC", "clinic.appointments");
            env.put("FORWARD_KAFKA_USERNAME", "relay");
            env.put("FORWARD_KAFKA_PASSWORD", "kafka-pass-123");
            proxy.refuseNext(Set.of(0, 1, 3), 2);
            proxy.unavailableNext("1");
            proxy.loseNextAnswer();
            Map<String, List<String>> journalOrder = new LinkedHashMap<>();
            try (TestRelay relay = TestRelay.start(dataDir, env, Clock.systemUTC())) {
                for (int i = 0; i < EVENTS; i++) {
                    String appointment = "A" + (i % APPOINTMENTS);
                    String type = i < APPOINTMENTS ? "appointment.created" : "appointment.updated";
                    assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("k" + i, type, appointment)).statusCode());
                    journalOrder.computeIfAbsent(appointment, a -> new ArrayList<>()).add("k" + i);
                }
                Await.until("every event produced", () -> distinctEvents(proxy).size() == EVENTS);
                Await.until("nothing left behind", () -> relay.relay().forwarder().statuses().get(0).lagEvents() == 0);
                assertTrue(relay.relay().forwarder().statuses().get(0).dead().isEmpty());
            }
            assertEquals(List.of(), proxy.problems(), "every request was what the REST Proxy accepts");
            assertEquals(0, proxy.plansLeft(), "the refusal, the 503 and the lost answer all happened");
            assertTrue(proxy.refused() >= 1);
            assertTrue(proxy.batchSizes().stream().anyMatch(size -> size > 1), "records go in batches: " + proxy.batchSizes());
            assertTrue(proxy.batchSizes().stream().allMatch(size -> size <= KafkaRestSink.BATCH_RECORDS_MAX));
            String basic = "Basic " + Base64.getEncoder().encodeToString("relay:kafka-pass-123".getBytes(StandardCharsets.UTF_8));
            assertTrue(proxy.authorizations().stream().allMatch(basic::equals), proxy.authorizations().toString());
            Map<String, List<String>> produced = new LinkedHashMap<>();
            for (FakeKafkaRest.Produced record : proxy.produced()) {
                assertEquals("clinic.appointments", record.topic());
                assertEquals(record.key(), record.value().object("data").string("appointment_id"), "keyed by appointment");
                assertFalse(record.value().toString().contains(Fixtures.LAST_NAME), "no patient data without FORWARD_INCLUDE_PHI");
                List<String> events = produced.computeIfAbsent(record.key(), k -> new ArrayList<>());
                String event = record.value().object("data").string("event_id");
                if (!events.contains(event)) {
                    events.add(event); // a resend after the lost answer repeats one: at least once
                }
            }
            assertEquals(journalOrder, produced, "each appointment's events in journal order");
            assertTrue(proxy.produced().size() > EVENTS, "the lost answer's records were sent again");
        }
    }

    @Test
    void aBatchTheProxyFindsTooLargeIsHalvedUntilItGoes() throws Exception {
        try (FakeKafkaRest proxy = FakeKafkaRest.start()) {
            proxy.refuseRequestsOver(3);
            proxy.unavailableNext("1"); // while it waits, a backlog builds up: the next request is too large
            Map<String, String> env = Map.of("FORWARD_KAFKA_REST_URL", proxy.url().toString(), "FORWARD_KAFKA_TOPIC", "t");
            try (TestRelay relay = TestRelay.start(dataDir, env, Clock.systemUTC())) {
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("big" + i, "appointment.created", "B" + i)).statusCode());
                }
                Await.until("all produced", () -> distinctEvents(proxy).size() == 20);
                assertTrue(proxy.batchSizes().stream().allMatch(size -> size <= 3), proxy.batchSizes().toString());
                assertTrue(proxy.tooLargeRefusals() > 0, "a request was refused as too large, and halved");
                assertTrue(relay.relay().forwarder().statuses().get(0).dead().isEmpty());
            }
        }
    }

    /**
     * Records refused in one request are retried with new ones; when such a request is then
     * refused whole and halved, what was already written is not read and sent again (an
     * appointment's older event would land after its newer one).
     */
    @Test
    void halvingAfterAPartialRefusalSendsNothingTwice() throws Exception {
        try (FakeKafkaRest proxy = FakeKafkaRest.start()) {
            Map<String, String> env = Map.of("FORWARD_KAFKA_REST_URL", proxy.url().toString(), "FORWARD_KAFKA_TOPIC", "t");
            proxy.unavailableNext("1");
            proxy.refuseNext(Set.of(0, 1), 2);
            proxy.refuseNext(Set.of(0, 1), 2);
            try (TestRelay relay = TestRelay.start(dataDir, env, Clock.systemUTC())) {
                relay.postSigned(Fixtures.fullEventBytes("B", "appointment.created", "A1"));
                relay.postSigned(Fixtures.fullEventBytes("C", "appointment.created", "A2"));
                relay.postSigned(Fixtures.fullEventBytes("Y", "appointment.created", "A3"));
                Await.until("Y written, B and C refused", () -> proxy.produced().size() == 1);
                relay.postSigned(Fixtures.fullEventBytes("Z", "appointment.updated", "A3"));
                Await.until("Z written, B and C refused again", () -> proxy.produced().size() == 2);
                proxy.refuseRequestsOver(2);
                relay.postSigned(Fixtures.fullEventBytes("N", "appointment.created", "A4"));
                Await.until("all written", () -> distinctEvents(proxy).size() == 5);
                Await.until("nothing behind", () -> relay.relay().forwarder().statuses().get(0).lagEvents() == 0);
            }
            List<String> written = proxy.produced().stream()
                    .map(r -> r.key() + ":" + r.value().object("data").string("event_id")).toList();
            assertEquals(5, written.size(), "each event once: " + written);
            assertTrue(written.indexOf("A3:Y") < written.indexOf("A3:Z"), written.toString());
        }
    }

    private static Set<String> distinctEvents(FakeKafkaRest proxy) {
        Set<String> events = new LinkedHashSet<>();
        proxy.produced().forEach(r -> events.add(r.value().object("data").string("event_id")));
        return events;
    }
}
