package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.http.BodyBudget;
import clinicrelay.http.Route;
import clinicrelay.http.WebServer;
import clinicrelay.http.WhenUnavailable;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.journal.RecordCodec;
import clinicrelay.signature.HexSignature;
import clinicrelay.signature.WebhookVerifier;
import clinicrelay.testing.Await;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.DiskFaults;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.RawHttp;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import clinicrelay.zocdoc.ZocdocWebhookHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal that cannot write never yields a 200 (docs/webhooks.md, receiver step 5). */
class FailureAnswersTest {
    /** Events sent into a full disk before one must fail (a 4 KiB page holds about three). */
    private static final int FULL_DISK_ATTEMPTS_MAX = 20;

    @TempDir
    Path dataDir;

    private static Map<String, String> signedHeaders(byte[] body) {
        return Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, body);
    }

    @Test
    void failedWriteDropsTheZocdocConnectionWithoutAStatusLineAndHealthDegradesThenRecovers() throws Exception {
        DiskFaults faults = new DiskFaults();
        try (TestRelay relay = TestRelay.start(dataDir, Map.of(), faults)) {
            assertEquals(200, relay.get("/health").statusCode());
            faults.fail("Input/output error");
            byte[] body = Fixtures.pastEventBytes("evt-lost", "appointment.created", "appt-1");
            for (String path : List.of("/webhook", "/webhooks/zocdoc")) {
                String answer = RawHttp.post(relay.port(), path, signedHeaders(body), body, 10_000);
                assertEquals("", answer, "Zocdoc must see a broken connection, not a status");
            }
            HttpResponse<String> degraded = relay.get("/health");
            assertEquals(503, degraded.statusCode());
            assertTrue(degraded.body().contains("\"status\":\"degraded\""), degraded.body());
            assertEquals(0, relay.storedRecords().size());
            assertTrue(relay.logText().contains("outcome=not_stored"), relay.logText());

            faults.heal();
            assertEquals("{\"received\":true}", relay.postSigned(body).body(), "Zocdoc's redelivery is stored");
            assertEquals(200, relay.get("/health").statusCode());
            assertEquals("{\"received\":true,\"duplicate\":true}", relay.postSigned(body).body());
            assertEquals(1, relay.storedRecords().size());
        }
    }

    @Test
    void routesWhoseSendersHonourRetryAfterGet503() throws Exception {
        CapturedLog log = new CapturedLog(Clock.systemUTC());
        DiskFaults alwaysFailing = new DiskFaults();
        alwaysFailing.fail("No space left on device");
        EventIngest.Replay replay = new EventIngest.Replay(java.time.Duration.ofDays(30));
        try (Journal journal = Journal.open(dataDir, new Journal.Options(Journal.SEGMENT_BYTES_MAX, alwaysFailing),
                replay, log.log())) {
            EventIngest ingest = replay.attach(journal, RecordCodec.plain(), Clock.systemUTC());
            WebhookVerifier verifier = new WebhookVerifier(List.of(new HexSignature(List.of("s"))), Clock.systemUTC());
            ZocdocWebhookHandler handler = new ZocdocWebhookHandler(new BodyBudget(), verifier, ingest,
                    WhenUnavailable.RESPOND_503, false, log.log());
            try (WebServer server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                    List.of(new Route("/in", handler, WhenUnavailable.RESPOND_503)), log.log())) {
                byte[] body = Fixtures.fullEventBytes("e", "appointment.created", "a");
                String answer = RawHttp.post(server.port(), "/in", Signing.hex("s", body), body, 10_000);
                assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
                assertTrue(answer.contains("Retry-after: 5") || answer.contains("Retry-After: 5"), answer);
                assertTrue(answer.endsWith("{\"error\":\"event could not be stored, retry later\"}"), answer);
            }
        }
    }

    @Test
    void whenBodiesInFlightUseTheWholeBudgetTheZocdocRouteDropsAndNothingIsRead() throws Exception {
        CapturedLog log = new CapturedLog(Clock.systemUTC());
        EventIngest.Replay replay = new EventIngest.Replay(java.time.Duration.ofDays(30));
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), replay, log.log())) {
            EventIngest ingest = replay.attach(journal, RecordCodec.plain(), Clock.systemUTC());
            WebhookVerifier verifier = new WebhookVerifier(List.of(new HexSignature(List.of("s"))), Clock.systemUTC());
            BodyBudget budget = new BodyBudget();
            ZocdocWebhookHandler handler = new ZocdocWebhookHandler(budget, verifier, ingest,
                    WhenUnavailable.DROP_CONNECTION, false, log.log());
            try (WebServer server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                    List.of(new Route("/in", handler, WhenUnavailable.DROP_CONNECTION)), log.log())) {
                byte[] body = Fixtures.fullEventBytes("e", "appointment.created", "a");
                try (BodyBudget.Reservation everything = budget.tryReserve(BodyBudget.BYTES_IN_FLIGHT_MAX)) {
                    assertTrue(everything != null);
                    assertEquals("", RawHttp.post(server.port(), "/in", Signing.hex("s", body), body, 10_000));
                    assertTrue(log.text().contains("outcome=body_budget_exhausted"), log.text());
                }
                assertTrue(RawHttp.post(server.port(), "/in", Signing.hex("s", body), body, 10_000).startsWith("HTTP/1.1 200"));
                // Each request reserves its own size: with 100 KiB left, a small body passes and a 200 KiB one is turned away.
                try (BodyBudget.Reservation most = budget.tryReserve(BodyBudget.BYTES_IN_FLIGHT_MAX - 100 * 1024)) {
                    assertTrue(most != null);
                    assertTrue(RawHttp.post(server.port(), "/in", Signing.hex("s", body), body, 10_000).startsWith("HTTP/1.1 200"));
                    byte[] large = (new String(body, java.nio.charset.StandardCharsets.UTF_8) + " ".repeat(200 * 1024))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    assertEquals("", RawHttp.post(server.port(), "/in", Signing.hex("s", large), large, 10_000));
                }
                // the handler returns its reservation just after the answer is sent
                Await.until("every reservation returned", () -> budget.bytesAvailable() == BodyBudget.BYTES_IN_FLIGHT_MAX);
            }
        }
    }

    /**
     * A real full disk: a 1 MiB tmpfs as DATA_DIR, filled, then freed. Needs root and
     * mount(8); elsewhere the test is skipped and says why.
     */
    @Test
    void realFullDiskDropsTheConnectionAndRecoversWhenSpaceReturns() throws Exception {
        Path mountPoint = Files.createDirectories(dataDir.resolve("tmpfs"));
        String mountProblem = run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mountPoint.toString());
        if (mountProblem != null) {
            System.out.println("SKIPPED realFullDiskDropsTheConnectionAndRecoversWhenSpaceReturns: cannot mount tmpfs ("
                    + mountProblem + ")");
            Assumptions.abort("mount not permitted here: " + mountProblem);
        }
        try {
            fillThenFree(mountPoint);
        } finally {
            run("umount", "-l", mountPoint.toString());
        }
    }

    private void fillThenFree(Path mountPoint) throws Exception {
        Path filler = mountPoint.resolve("filler");
        try (TestRelay relay = TestRelay.start(mountPoint)) {
            // Past appointments: the delivery engine writes only its small "planned" marker for
            // them, and the test waits for it after each event, so only the receiver's writes
            // compete for the last bytes of the disk.
            byte[] first = Fixtures.pastEventBytes("evt-before", "appointment.created", "appt-1");
            assertEquals(200, relay.postSigned(first).statusCode());
            relay.relay().engine().awaitIdle(10_000);
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] chunk = new byte[4096];
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException diskFull) {
                assertTrue(String.valueOf(diskFull.getMessage()).contains("No space left"), diskFull.getMessage());
            }
            // The segment's last page may still have room, so events can fit after the disk
            // is full; keep sending until one needs a new page and cannot be written.
            List<String> acknowledged = new ArrayList<>(List.of("zocdoc:evt-before"));
            byte[] refused = null;
            String refusedKey = null;
            for (int i = 0; i < FULL_DISK_ATTEMPTS_MAX && refused == null; i++) {
                byte[] body = Fixtures.pastEventBytes("evt-full-" + i, "appointment.created", "appt-2");
                String answer = RawHttp.post(relay.port(), "/webhook", signedHeaders(body), body, 10_000);
                if (answer.isEmpty()) {
                    refused = body;
                    refusedKey = "zocdoc:evt-full-" + i;
                } else {
                    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                    acknowledged.add("zocdoc:evt-full-" + i);
                    // let the engine write its "planned" marker now, so that no write of its own
                    // lands after the refused one and makes the journal writable again
                    relay.relay().engine().awaitIdle(10_000);
                }
            }
            assertTrue(refused != null, "no write failed on a full disk");
            assertEquals(503, relay.get("/health").statusCode());

            Files.delete(filler);
            assertEquals("{\"received\":true}", relay.postSigned(refused).body());
            acknowledged.add(refusedKey);
            assertEquals(200, relay.get("/health").statusCode());
            List<String> keys = TestRelay.readJournal(mountPoint).stream().map(r -> r.key()).toList();
            assertEquals(acknowledged, keys, "every acknowledged event and no trace of the failed write");
        }
        try (TestRelay reopened = TestRelay.start(mountPoint)) {
            assertFalse(reopened.logText().contains("torn"), reopened.logText());
        }
    }
    /** @return null on success, else what went wrong */
    private static String run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            return process.waitFor() == 0 ? null : "exit " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
