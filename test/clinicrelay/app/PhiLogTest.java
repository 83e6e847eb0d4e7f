package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.Await;
import clinicrelay.testing.DiskFaults;
import clinicrelay.testing.FakeKafkaRest;
import clinicrelay.testing.FakeWebhookReceiver;
import clinicrelay.testing.MutableClock;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.RawHttp;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No patient data in any output, on every path (README "What we log, and never log"). Fixtures full of
 * distinctive PHI go through each outcome; everything the process printed (our log,
 * System.out, System.err) is then searched for every PHI string.
 */
class PhiLogTest {
    @TempDir
    Path dataDir;

    @Test
    void noPatientDataReachesAnyOutputOnAnyPath() throws Exception {
        String everything = captured(this::pushPhiThroughEveryPath);
        for (String outcome : List.of("outcome=accepted", "outcome=duplicate", "outcome=invalid_signature",
                "outcome=invalid_json", "outcome=not_an_object", "outcome=too_large", "outcome=not_stored",
                "event type not recognised", "phone_unusable", "start_time_unparsable", "thin event stored")) {
            assertTrue(everything.contains(outcome), "path not exercised: " + outcome + "\n" + everything);
        }
        assertNoPhi(everything);
    }

    /** Forwarding with patient fields on, through refusals, a give-up, a 410, a Kafka proxy's refusals and a full disk. */
    @Test
    void noPatientDataReachesAnyOutputWhileForwardingIt() throws Exception {
        String everything = captured(this::forwardPhiThroughEveryPath);
        for (String path : List.of("forwarding target did not take events", "410 Gone", "forwarding gave up on an event",
                "outcome=not_stored", "kafka error_code 2")) {
            assertTrue(everything.contains(path), "path not exercised: " + path + "\n" + everything);
        }
        assertNoPhi(everything);
    }

    private static void assertNoPhi(String everything) {
        String haystack = everything.toLowerCase(Locale.ROOT);
        for (String phi : Fixtures.PHI) {
            assertFalse(haystack.contains(phi.toLowerCase(Locale.ROOT)), "PHI leaked into output: " + phi + "\n" + everything);
        }
    }

    private String forwardPhiThroughEveryPath() throws Exception {
        DiskFaults faults = new DiskFaults();
        MutableClock clock = new MutableClock(Instant.now());
        String secret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
        try (FakeWebhookReceiver failing = FakeWebhookReceiver.start(secret);
             FakeWebhookReceiver gone = FakeWebhookReceiver.start(secret);
             FakeKafkaRest kafka = FakeKafkaRest.start()) {
            failing.answer(500);
            gone.answer(410);
            kafka.refuseNext(java.util.Set.of(0), 2);
            Map<String, String> env = Map.of("FORWARD_URLS", failing.url() + "," + gone.url(), "FORWARD_SECRET", secret,
                    "FORWARD_INCLUDE_PHI", "true", "FORWARD_KAFKA_REST_URL", kafka.url().toString(),
                    "FORWARD_KAFKA_TOPIC", "phi-scan", "DASHBOARD_PASSWORD", "phi-scan-dashboard");
            try (TestRelay relay = TestRelay.start(dataDir, env, faults, null, clock)) {
                for (int i = 0; i < 3; i++) {
                    byte[] body = Fixtures.fullEventBytes("evt-fwd-" + i, "appointment.created", "appt-fwd-" + i);
                    assertEquals(200, relay.post("/webhook", body, Signing.hex(TestRelay.SECRET, body)).statusCode());
                }
                Await.until("the failing receiver was tried", () -> !failing.received().isEmpty());
                Await.until("the Kafka refusal was met", () -> kafka.refused() > 0);
                clock.advance(Duration.ofHours(25));
                Await.until("given up", () -> relay.relay().forwarder().statuses().get(0).dead().size() == 3);
                assertTrue(failing.received().get(0).body().contains(Fixtures.LAST_NAME), "PHI did flow onward");
                faults.fail("No space left on device");
                byte[] lost = Fixtures.fullEventBytes("evt-fwd-lost", "appointment.created", "appt-fwd-lost");
                assertEquals("", RawHttp.post(relay.port(), "/webhook", Signing.hex(TestRelay.SECRET, lost), lost, 10_000));
                faults.heal();
                return relay.logText();
            }
        }
    }

    /** Everything printed while {@code run} runs: what it returns (the relay's log), System.out and System.err. */
    private static String captured(java.util.concurrent.Callable<String> run) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String logged;
        try {
            logged = run.call();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return logged + stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
    }

    private String pushPhiThroughEveryPath() throws Exception {
        DiskFaults faults = new DiskFaults();
        try (TestRelay relay = TestRelay.start(dataDir, Map.of(), faults)) {
            byte[] accepted = Fixtures.fullEventBytes("evt-phi-1", "appointment.created", "appt-phi");
            assertEquals(200, relay.postSigned(accepted).statusCode());
            assertEquals(200, relay.postSigned(accepted).statusCode());
            assertEquals(401, relay.post("/webhook", accepted, Signing.hex("wrong", accepted)).statusCode());
            String broken = Fixtures.fullEvent("evt-phi-2", "appointment.created", "appt-phi");
            assertEquals(400, relay.postSigned(broken.substring(0, broken.length() - 2).getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals(400, relay.postSigned(("[" + broken + "]").getBytes(StandardCharsets.UTF_8)).statusCode());
            byte[] huge = (broken + " ".repeat(300_000)).getBytes(StandardCharsets.UTF_8);
            assertEquals(413, relay.postSigned(huge).statusCode());
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-phi-3", "appointment.moved_to_mars", "appt-phi")).statusCode());
            String unusable = broken.replace(Fixtures.PHONE_RAW, "call " + Fixtures.PHONE_DIGITS + " after 5")
                    .replace(Fixtures.START_TIME, Fixtures.DATE_OF_BIRTH + " " + Fixtures.VISIT_REASON)
                    .replace("evt-phi-2", "evt-phi-4");
            assertEquals(200, relay.postSigned(unusable.getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals(200, relay.postSigned(Fixtures.thinEvent("appt-thin", "2026-11-27T10:00:00Z", "created")).statusCode());
            faults.fail("No space left on device");
            byte[] lost = Fixtures.fullEventBytes("evt-phi-5", "appointment.created", "appt-phi");
            assertEquals("", RawHttp.post(relay.port(), "/webhook",
                    Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, lost), lost, 10_000));
            faults.heal();
            return relay.logText();
        }
    }
}
