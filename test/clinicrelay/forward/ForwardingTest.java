package clinicrelay.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.RecordType;
import clinicrelay.json.Json;
import clinicrelay.json.JsonObject;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeWebhookReceiver;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.MutableClock;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding to webhook receivers, end to end: a real relay, real HTTP, and receivers that
 * check signatures with their own code. Order, retries on a moved clock, the give-up and
 * the operator's retry, 410, restarts, and the PHI switch.
 */
class ForwardingTest {
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("forwarding-test-key-32-bytes-ok!".getBytes(StandardCharsets.UTF_8));
    static final String PASSWORD = "forwarding-dashboard-pw";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    static Map<String, String> env(FakeWebhookReceiver... receivers) {
        Map<String, String> env = new HashMap<>();
        List<String> urls = new ArrayList<>();
        for (FakeWebhookReceiver receiver : receivers) {
            urls.add(receiver.url().toString());
        }
        env.put("FORWARD_URLS", String.join(",", urls));
        env.put("FORWARD_SECRET", SECRET);
        env.put("DASHBOARD_PASSWORD", PASSWORD);
        return env;
    }

    /** The event ids of what a receiver accepted, in order. */
    static List<String> eventIds(List<FakeWebhookReceiver.Received> received) throws Exception {
        List<String> ids = new ArrayList<>();
        for (FakeWebhookReceiver.Received r : received) {
            ids.add(data(r.body()).string("event_id"));
        }
        return ids;
    }

    static JsonObject data(String body) throws Exception {
        return Json.parseObject(body.getBytes(StandardCharsets.UTF_8)).object("data");
    }

    /** Posts with the hex scheme, which has no timestamp: the relay's clock may be far from now. */
    static void post(TestRelay relay, String eventId, String type, String appointment) throws Exception {
        byte[] body = Fixtures.fullEventBytes(eventId, type, appointment);
        assertEquals(200, relay.post("/webhook", body, Signing.hex(TestRelay.SECRET, body)).statusCode());
    }

    static HttpResponse<String> operator(TestRelay relay, String method, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(relay.uri(path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        request = "POST".equals(method) ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyStoredEventReachesTheReceiverSignedInJournalOrderWithoutPatientData() throws Exception {
        try (FakeWebhookReceiver receiver = FakeWebhookReceiver.start(SECRET);
             TestRelay relay = TestRelay.start(dataDir, env(receiver), java.time.Clock.systemUTC())) {
            List<String> sent = List.of("e1", "e2", "e3", "e4", "e5");
            post(relay, "e1", "appointment.created", "A1");
            post(relay, "e2", "appointment.created", "A2");
            post(relay, "e3", "appointment.updated", "A1");
            post(relay, "e4", "appointment.cancelled", "A2");
            post(relay, "e5", "appointment.cancelled", "A1");
            Await.until("five events forwarded", () -> receiver.accepted().size() == 5);
            List<FakeWebhookReceiver.Received> got = receiver.accepted();
            assertEquals(sent, eventIds(got));
            for (FakeWebhookReceiver.Received r : got) {
                assertTrue(r.signatureValid(), "signature checks out with the receiver's own code: " + r);
                assertTrue(r.id().matches("msg_[0-9a-f]{32}"), r.id());
                assertTrue(r.timestamp().matches("[0-9]{10}"), r.timestamp());
                assertEquals("application/json", r.contentType());
                for (String phi : Fixtures.PHI) {
                    assertFalse(r.body().contains(phi), "patient data left without FORWARD_INCLUDE_PHI: " + phi);
                }
                assertFalse(r.body().contains("\"patient\""), r.body());
            }
            assertEquals(5, got.stream().map(FakeWebhookReceiver.Received::id).distinct().count());
            JsonObject first = Json.parseObject(got.get(0).body().getBytes(StandardCharsets.UTF_8));
            assertEquals("appointment.created", first.string("type"));
            assertEquals("A1", first.object("data").string("appointment_id"));
            assertEquals("pr_1", first.object("data").string("provider_id"));
            assertEquals(Fixtures.START_TIME, first.object("data").string("start_time"));
            assertFalse(relay.logText().contains("tok-5ecr3t-path"), "a receiver's URL path can be a token: never logged");
            assertFalse(operator(relay, "GET", "/dashboard/forwarding").body().contains("tok-5ecr3t-path"));
        }
    }

    @Test
    void withIncludePhiThePatientGoesToo() throws Exception {
        try (FakeWebhookReceiver receiver = FakeWebhookReceiver.start(SECRET)) {
            Map<String, String> env = env(receiver);
            env.put("FORWARD_INCLUDE_PHI", "true");
            try (TestRelay relay = TestRelay.start(dataDir, env, java.time.Clock.systemUTC())) {
                post(relay, "e1", "appointment.created", "A1");
                Await.until("forwarded", () -> receiver.accepted().size() == 1);
                JsonObject patient = data(receiver.accepted().get(0).body()).object("patient");
                assertEquals(Fixtures.FIRST_NAME, patient.string("first_name"));
                assertEquals(Fixtures.EMAIL, patient.string("email"));
                assertEquals(Fixtures.PHONE_E164, patient.string("phone"));
                assertFalse(receiver.accepted().get(0).body().contains(Fixtures.INSURANCE), "the raw body never leaves");
            }
        }
    }

    @Test
    void oneTargetDownForAnHourHoldsUpNeitherTheOtherNorItsOwnOrder() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (FakeWebhookReceiver down = FakeWebhookReceiver.start(SECRET);
             FakeWebhookReceiver up = FakeWebhookReceiver.start(SECRET)) {
            Map<String, String> env = env(down, up);
            env.putAll(Map.of("DRY_RUN", "true", "QUIET_HOURS", "off"));
            try (TestRelay relay = TestRelay.start(dataDir, env, clock)) {
                down.answer(503, "120");
                post(relay, "e1", "appointment.created", "A1");
                post(relay, "e2", "appointment.created", "A2");
                Await.until("the healthy receiver has both", () -> up.accepted().size() == 2);
                relay.settle();
                assertTrue(relay.get("/metrics").body().contains(
                        "clinic_relay_deliveries_total{channel=\"sms\",outcome=\"sent\"} 2"), "the patients' texts went out meanwhile");
                Await.until("the failing receiver was tried", () -> down.received().size() == 1);
                String idOfFirst = down.received().get(0).id();
                for (int minute = 5; minute <= 60; minute += 5) {
                    int before = down.received().size();
                    clock.advance(Duration.ofMinutes(5));
                    Await.until("a retry after the backoff", () -> down.received().size() == before + 1);
                    if (minute == 30) {
                        post(relay, "e3", "appointment.updated", "A1");
                        Await.until("the healthy receiver keeps up mid-outage", () -> up.accepted().size() == 3);
                    }
                }
                assertTrue(down.received().stream().allMatch(r -> r.id().equals(idOfFirst)),
                        "every retry of the head event carries its webhook-id, and nothing overtakes it");
                String metrics = relay.get("/metrics").body();
                String downId = ForwardTarget.webhook(down.url()).id();
                String upId = ForwardTarget.webhook(up.url()).id();
                assertTrue(metrics.contains("clinic_relay_forward_lag_events{target=\"" + downId + "\"} 3"), metrics);
                assertTrue(metrics.contains("clinic_relay_forward_lag_events{target=\"" + upId + "\"} 0"), metrics);
                assertTrue(metrics.contains("clinic_relay_forward_lag_seconds{target=\"" + downId + "\"} 3600"), metrics);
                String health = relay.get("/health").body();
                assertTrue(health.contains("\"forwarding_behind\"") && health.contains("degraded"), health);
                assertFalse(health.contains("tok-5ecr3t-path"), health);
                down.answer(204);
                clock.advance(Duration.ofMinutes(5));
                Await.until("the recovered receiver has everything", () -> down.accepted().size() == 3);
                assertEquals(List.of("e1", "e2", "e3"), eventIds(down.accepted()));
                assertEquals(idOfFirst, down.accepted().get(0).id());
                Await.until("nothing waiting and nothing given up", () -> relay.relay().forwarder().statuses().stream()
                        .allMatch(s -> s.dead().isEmpty() && s.lagEvents() == 0));
            }
        }
    }

    @Test
    void aTargetFailingForADayGivesUpAndTheOperatorSendsItAgain() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (FakeWebhookReceiver receiver = FakeWebhookReceiver.start(SECRET);
             TestRelay relay = TestRelay.start(dataDir, env(receiver), clock)) {
            receiver.answer(500);
            post(relay, "e1", "appointment.created", "A1");
            post(relay, "e2", "appointment.created", "A2");
            Await.until("tried once", () -> receiver.received().size() == 1);
            clock.advance(TargetWorker.GIVE_UP_AFTER.plusMinutes(1));
            String id = ForwardTarget.webhook(receiver.url()).id();
            ForwardStatus status = Await.until("both given up", () -> relay.relay().forwarder().statuses().get(0),
                    s -> s.dead().size() == 2);
            assertEquals(List.of("A1", "A2"), status.dead().stream().map(ForwardLedger.Dead::appointmentId).toList());
            assertEquals("http 500", status.dead().get(0).reason());
            assertEquals(0, status.lagEvents());
            String listed = operator(relay, "GET", "/api/forwarding").body();
            assertTrue(listed.contains("\"dead\":[{\"event_key\":"), listed);
            assertTrue(relay.logText().contains("forwarding gave up on an event"), relay.logText());
            assertTrue(relay.get("/health").body().contains("\"forwarding_given_up\""));

            receiver.answer(204);
            assertEquals(202, operator(relay, "POST", "/api/forwarding/" + id + "/retry").statusCode());
            Await.until("the operator's retry delivered both", () -> receiver.accepted().size() == 2);
            assertEquals(List.of("e1", "e2"), eventIds(receiver.accepted()));
            Await.until("the list is empty", () -> relay.relay().forwarder().statuses().get(0).dead().isEmpty());
            // Journaled without waiting for the disk: the record follows the list's change shortly.
            Await.until("both redeliveries journaled",
                    () -> TestRelay.readJournal(dataDir, RecordType.FORWARD_REDELIVERED).size() == 2);
            assertEquals(404, operator(relay, "POST", "/api/forwarding/hook-nosuchtarget/retry").statusCode());
        }
    }

    @Test
    void goneSwitchesTheTargetOffUntilTheOperatorResumesIt() throws Exception {
        try (FakeWebhookReceiver receiver = FakeWebhookReceiver.start(SECRET);
             TestRelay relay = TestRelay.start(dataDir, env(receiver), java.time.Clock.systemUTC())) {
            receiver.answer(410);
            post(relay, "e1", "appointment.created", "A1");
            Await.until("switched off", () -> relay.relay().forwarder().statuses().get(0).off());
            post(relay, "e2", "appointment.created", "A2");
            relay.settle();
            assertEquals(1, receiver.received().size(), "nothing more goes to a target that said 410");
            assertTrue(relay.logText().contains("410 Gone"), relay.logText());
            assertTrue(relay.get("/health").body().contains("\"forwarding_off\""));
            assertTrue(relay.get("/metrics").body().contains("clinic_relay_forward_off{target=\""
                    + ForwardTarget.webhook(receiver.url()).id() + "\"} 1"));
            receiver.answer(200);
            String id = ForwardTarget.webhook(receiver.url()).id();
            assertEquals(202, operator(relay, "POST", "/api/forwarding/" + id + "/resume").statusCode());
            Await.until("both delivered after the resume", () -> receiver.accepted().size() == 2);
            assertEquals(List.of("e1", "e2"), eventIds(receiver.accepted()));
            assertEquals(receiver.received().get(0).id(), receiver.accepted().get(0).id());
        }
    }

    @Test
    void aCleanRestartResumesExactlyWhereItStopped() throws Exception {
        try (FakeWebhookReceiver receiver = FakeWebhookReceiver.start(SECRET)) {
            try (TestRelay relay = TestRelay.start(dataDir, env(receiver), java.time.Clock.systemUTC())) {
                post(relay, "e1", "appointment.created", "A1");
                post(relay, "e2", "appointment.created", "A2");
                Await.until("forwarded", () -> receiver.accepted().size() == 2);
            }
            try (TestRelay relay = TestRelay.start(dataDir, env(receiver), java.time.Clock.systemUTC())) {
                relay.relay().checkpointNow();
                post(relay, "e3", "appointment.updated", "A1");
                Await.until("the new one forwarded", () -> receiver.accepted().size() >= 3);
            }
            try (TestRelay relay = TestRelay.start(dataDir, env(receiver), java.time.Clock.systemUTC())) {
                post(relay, "e4", "appointment.cancelled", "A2");
                Await.until("the new one forwarded", () -> receiver.accepted().size() >= 4);
                relay.settle();
            }
            assertEquals(List.of("e1", "e2", "e3", "e4"), eventIds(receiver.received()), "no gap and no resend");
        }
    }

    @Test
    void anIdleRelayWritesNothing() throws Exception {
        try (FakeWebhookReceiver first = FakeWebhookReceiver.start(SECRET);
             FakeWebhookReceiver second = FakeWebhookReceiver.start(SECRET);
             TestRelay relay = TestRelay.start(dataDir, env(first, second), java.time.Clock.systemUTC())) {
            post(relay, "e1", "appointment.created", "A1");
            Await.until("forwarded", () -> first.accepted().size() == 1 && second.accepted().size() == 1);
            Await.until("both cursors saved", () -> TestRelay.readJournal(dataDir, RecordType.FORWARD_CURSOR).size() == 4);
            long settled = relay.relay().journal().settledPosition();
            // A quiet period, not a wait for something: a cursor record written for passing the
            // other target's cursor records (or its own) would show within it.
            Thread.sleep(3 * TargetCursor.SAVE_EVERY_MILLIS);
            assertEquals(settled, relay.relay().journal().settledPosition(), "nothing written while nothing happens");
        }
    }

    @Test
    void aReceiverAddedLaterGetsWhatIsStoredFromThenOn() throws Exception {
        try (FakeWebhookReceiver first = FakeWebhookReceiver.start(SECRET);
             FakeWebhookReceiver later = FakeWebhookReceiver.start(SECRET)) {
            try (TestRelay relay = TestRelay.start(dataDir, env(first), java.time.Clock.systemUTC())) {
                post(relay, "e1", "appointment.created", "A1");
                Await.until("forwarded", () -> first.accepted().size() == 1);
            }
            try (TestRelay relay = TestRelay.start(dataDir, env(first, later), java.time.Clock.systemUTC())) {
                post(relay, "e2", "appointment.created", "A2");
                Await.until("both have the new event", () -> first.accepted().size() == 2 && later.accepted().size() == 1);
                assertEquals(List.of("e2"), eventIds(later.accepted()));
                assertNull(first.accepted().stream().filter(r -> r.id().equals(later.accepted().get(0).id())).findAny()
                        .orElse(null), "webhook-ids differ between targets");
            }
        }
    }
}
