package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.http.HttpLimits;
import clinicrelay.journal.StoredRecord;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.RawHttp;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Zocdoc receiver over real HTTP: docs/webhooks.md "The Zocdoc receiver", steps 1 to 5. */
class ReceiverTest {
    @TempDir
    Path dataDir;
    private TestRelay relay;

    @BeforeEach
    void start() throws Exception {
        relay = TestRelay.start(dataDir);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private static void assertJsonError(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"error\":\""), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void signedFullEventIsStoredThenAcknowledged() throws Exception {
        HttpResponse<String> response = relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1"));
        assertEquals(200, response.statusCode());
        assertEquals("{\"received\":true}", response.body());
        List<StoredRecord> records = relay.storedRecords();
        assertEquals(1, records.size());
        assertEquals("zocdoc:evt-1", records.get(0).key());
        assertEquals("appt-1", records.get(0).publicPart().string("appointment_id"));
        assertEquals("appointment.created", records.get(0).publicPart().string("type"));
    }

    @Test
    void thinZocdocEventIsStoredUnderItsCompositeId() throws Exception {
        byte[] body = Fixtures.thinEvent("d04b049a-41b1-4aba-9268-d8973cf72cdd", "2026-11-27T09:59:58Z", "cancelled");
        assertEquals(200, relay.postSigned(body).statusCode());
        StoredRecord record = relay.storedRecords().get(0);
        assertEquals("zocdoc:d04b049a-41b1-4aba-9268-d8973cf72cdd|2026-11-27T09:59:58Z|cancelled", record.key());
        assertEquals("appointment.cancelled", record.publicPart().string("type"));
        assertEquals("thin", record.publicPart().string("shape"));
    }

    @Test
    void bothRoutesAndBothSchemesAreAccepted() throws Exception {
        byte[] first = Fixtures.fullEventBytes("evt-hex", "appointment.created", "appt-1");
        assertEquals(200, relay.post("/webhooks/zocdoc", first, Signing.hex(TestRelay.SECRET, first)).statusCode());
        byte[] second = Fixtures.fullEventBytes("evt-fallback-header", "appointment.created", "appt-2");
        String signature = Signing.hex(TestRelay.SECRET, second).values().iterator().next();
        assertEquals(200, relay.post("/webhook", second, Map.of("X-Webhook-Signature", signature)).statusCode());
        assertEquals(2, relay.storedRecords().size());
    }

    @Test
    void repeatedEventIdIsADuplicateAndStoredOnce() throws Exception {
        byte[] body = Fixtures.fullEventBytes("evt-dup", "appointment.created", "appt-1");
        assertEquals("{\"received\":true}", relay.postSigned(body).body());
        HttpResponse<String> again = relay.postSigned(body);
        assertEquals(200, again.statusCode());
        assertEquals("{\"received\":true,\"duplicate\":true}", again.body());
        assertEquals(1, relay.storedRecords().size());
    }

    @Test
    void replayingABodyUnderNewUnsignedHeaderIdsIsStillADuplicate() throws Exception {
        byte[] body = "{\"type\":\"appointment.created\",\"appointment\":{\"id\":\"appt-r\"}}".getBytes(StandardCharsets.UTF_8);
        for (String id : List.of("first", "second", "third")) {
            Map<String, String> headers = new java.util.HashMap<>(Signing.hex(TestRelay.SECRET, body));
            headers.put("X-Zocdoc-Event-Id", id);
            String answer = relay.post("/webhook", body, headers).body();
            assertEquals(id.equals("first") ? "{\"received\":true}" : "{\"received\":true,\"duplicate\":true}", answer, id);
        }
        assertEquals(1, relay.storedRecords().size());
        assertEquals("first", relay.storedRecords().get(0).publicPart().string("event_id"));
    }

    @Test
    void duplicateIsRecognisedAfterRestart() throws Exception {
        byte[] body = Fixtures.fullEventBytes("evt-restart", "appointment.created", "appt-1");
        assertEquals("{\"received\":true}", relay.postSigned(body).body());
        relay.close();
        relay = TestRelay.start(dataDir);
        assertEquals("{\"received\":true,\"duplicate\":true}", relay.postSigned(body).body());
        assertEquals(1, relay.storedRecords().size());
    }

    @Test
    void concurrentDeliveriesOfOneIdStoreExactlyOneEvent() throws Exception {
        int senders = 16;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            for (int round = 0; round < 5; round++) {
                byte[] body = Fixtures.fullEventBytes("evt-race-" + round, "appointment.created", "appt-1");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < senders; i++) {
                    Callable<String> send = () -> {
                        go.await();
                        return relay.postSigned(body).body();
                    };
                    answers.add(pool.submit(send));
                }
                go.countDown();
                int accepted = 0;
                for (Future<String> answer : answers) {
                    String text = answer.get();
                    assertTrue(text.startsWith("{\"received\":true"), text);
                    accepted += text.equals("{\"received\":true}") ? 1 : 0;
                }
                assertEquals(1, accepted, "exactly one delivery is the first");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, relay.storedRecords().size());
    }

    @Test
    void badSignaturesAre401AndStoreNothing() throws Exception {
        byte[] body = Fixtures.fullEventBytes("evt-forged", "appointment.created", "appt-1");
        long now = System.currentTimeMillis() / 1000;
        // Stale by far more than the 300 s tolerance, so the test cannot race the clock;
        // the exact edges are SignatureTest's, with a fixed clock.
        List<Map<String, String>> forgeries = List.of(
                Map.of(),
                Signing.zocdocV1("c29tZSBvdGhlciBrZXkgdGhhdCBpcyBub3Qgb3Vycw==", now, body),
                Signing.zocdocV1(TestRelay.SECRET, now - 400, body),
                Signing.zocdocV1(TestRelay.SECRET, now + 400, body),
                Map.of("webhook-timestamp", Long.toString(now), "webhook-signature", "v1:not-base64!"),
                Map.of("webhook-timestamp", "yesterday", "webhook-signature",
                        Signing.zocdocV1(TestRelay.SECRET, now, body).get("webhook-signature")),
                Signing.hex("wrong secret", body),
                Map.of("X-Zocdoc-Signature", "sha256=zz"));
        for (Map<String, String> headers : forgeries) {
            HttpResponse<String> response = relay.post("/webhook", body, headers);
            assertEquals(401, response.statusCode(), "headers " + headers.keySet());
            assertEquals("{\"error\":\"invalid signature\"}", response.body());
        }
        byte[] tampered = Arrays.copyOf(body, body.length);
        Map<String, String> signedOriginal = Signing.zocdocV1(TestRelay.SECRET, now, body);
        tampered[tampered.length - 5] = 'X';
        assertEquals(401, relay.post("/webhook", tampered, signedOriginal).statusCode());
        assertEquals(0, relay.storedRecords().size());
    }

    @Test
    void nonJsonAndNonObjectBodiesAre400() throws Exception {
        for (String body : List.of("not json", "[1,2,3]", "\"text\"", "{\"a\":1,}", "")) {
            assertJsonError(relay.postSigned(body.getBytes(StandardCharsets.UTF_8)), 400);
        }
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = relay.postSigned(deep);
        assertJsonError(response, 400);
        assertTrue(response.body().contains("nesting"), response.body());
        assertEquals(0, relay.storedRecords().size());
        assertEquals(200, relay.get("/health").statusCode(), "the server keeps serving");
    }

    @Test
    void bodyAtTheLimitIsReadAndOnePastIs413() throws Exception {
        String event = Fixtures.fullEvent("evt-big", "appointment.created", "appt-1");
        byte[] atLimit = (event + " ".repeat(HttpLimits.WEBHOOK_BODY_BYTES_MAX - event.length()))
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(HttpLimits.WEBHOOK_BODY_BYTES_MAX, atLimit.length);
        assertEquals(200, relay.postSigned(atLimit).statusCode());
        byte[] pastLimit = Arrays.copyOf(atLimit, atLimit.length + 1);
        pastLimit[pastLimit.length - 1] = ' ';
        assertJsonError(relay.postSigned(pastLimit), 413);
        assertEquals(1, relay.storedRecords().size());
    }

    @Test
    void chunkedBodiesHaveTheSameLimit() throws Exception {
        byte[] small = Fixtures.fullEventBytes("evt-chunked", "appointment.created", "appt-1");
        String accepted = RawHttp.postChunked(relay.port(), "/webhook", Signing.hex(TestRelay.SECRET, small), small, 10_000);
        assertTrue(accepted.startsWith("HTTP/1.1 200") && accepted.endsWith("{\"received\":true}"), accepted);
        byte[] big = new byte[HttpLimits.WEBHOOK_BODY_BYTES_MAX + 1];
        Arrays.fill(big, (byte) ' ');
        String refused = RawHttp.postChunked(relay.port(), "/webhook", Signing.hex(TestRelay.SECRET, big), big, 10_000);
        assertTrue(refused.startsWith("HTTP/1.1 413"), refused);
        assertEquals(1, relay.storedRecords().size());
    }

    @Test
    void everySecretOfARotationListIsAcceptedByTheServer() throws Exception {
        relay.close();
        String next = "bmV4dCBrZXkgb2YgdGhpcnR5LXR3byBieXRlcy4uLi4=";
        relay = TestRelay.start(dataDir, Map.of("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET + ", " + next),
                WriteFaults.NONE);
        byte[] old = Fixtures.fullEventBytes("evt-old-key", "appointment.created", "appt-1");
        assertEquals(200, relay.post("/webhook", old, Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, old)).statusCode());
        byte[] fresh = Fixtures.fullEventBytes("evt-new-key", "appointment.created", "appt-1");
        assertEquals(200, relay.post("/webhook", fresh, Signing.zocdocV1(next, System.currentTimeMillis() / 1000, fresh)).statusCode());
        assertEquals(200, relay.post("/webhook", Fixtures.fullEventBytes("evt-hex-new", "appointment.created", "a"),
                Signing.hex(next, Fixtures.fullEventBytes("evt-hex-new", "appointment.created", "a"))).statusCode());
        assertEquals(3, relay.storedRecords().size());
    }

    @Test
    void theJdkServerRunsWithTcpNoDelay() {
        // Without it, Nagle's algorithm and delayed ACKs add ~40 ms to each keep-alive answer.
        assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
    }

    @Test
    void onlyPostIsAllowedOnTheReceiver() throws Exception {
        HttpResponse<String> response = relay.get("/webhook");
        assertJsonError(response, 405);
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void unknownPathsAreJson404AndPrefixesDoNotMatch() throws Exception {
        assertJsonError(relay.get("/nope"), 404);
        byte[] body = Fixtures.fullEventBytes("evt-x", "appointment.created", "appt-1");
        assertJsonError(relay.post("/webhookX", body, Signing.hex(TestRelay.SECRET, body)), 404);
    }

    @Test
    void unknownTypesAreStoredAndAcknowledged() throws Exception {
        byte[] body = Fixtures.fullEventBytes("evt-odd", "appointment.teleported", "appt-1");
        assertEquals("{\"received\":true}", relay.postSigned(body).body());
        StoredRecord record = relay.storedRecords().get(0);
        assertEquals("unknown", record.publicPart().string("type"));
        assertEquals("appointment.teleported", record.publicPart().string("raw_type"));
        assertTrue(relay.logText().contains("event type not recognised"), relay.logText());
    }

    @Test
    void healthReportsOkWithCounts() throws Exception {
        relay.postSigned(Fixtures.fullEventBytes("evt-h", "appointment.created", "appt-1"));
        HttpResponse<String> health = relay.get("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
        assertTrue(health.body().contains("\"service\":\"clinic-relay\""), health.body());
        assertTrue(health.body().contains("\"events_stored\":1"), health.body());
    }

    @Test
    void eachRequestLogsOneLineWithTypeIdsOutcomeAndLatency() throws Exception {
        relay.postSigned(Fixtures.fullEventBytes("evt-log", "appointment.created", "appt-log"));
        String line = relay.logText().lines().filter(l -> l.contains("evt-log") && l.contains(" webhook ")).findFirst().orElse("");
        assertTrue(line.contains("INFO webhook"), line);
        assertTrue(line.contains("outcome=accepted"), line);
        assertTrue(line.contains("event_type=appointment.created"), line);
        assertTrue(line.contains("event_id=evt-log"), line);
        assertTrue(line.contains("appointment_id=appt-log"), line);
        assertTrue(line.matches(".*latency_ms=\\d+\\.\\d\\d.*"), line);
        assertFalse(line.contains(Fixtures.FIRST_NAME));
    }
}
