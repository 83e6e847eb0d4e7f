package clinicrelay.zocdoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.Config;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.journal.StoredRecord;
import clinicrelay.journal.WriteFaults;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.FakeZocdoc;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.LocalHttpServers;
import clinicrelay.testing.TestRelay;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zocdoc races and edge cases, with a pass-through proxy in front of the fake API so a test
 * can hold or alter one call: fetches finishing out of order, clocks that differ, changes
 * while the sweep pages, a participants lag, half configuration, an arrival the API cannot
 * show. (Found by an independent review; each failed before its fix.)
 */
class ZocdocRacesTest {

    @TempDir
    Path dataDir;
    private FakeZocdoc zocdoc;
    private FakeTwilio twilio;
    private Proxy proxy;
    private TestRelay relay;

    /** Hook run before a request is forwarded to the fake; returns a status to answer instead, or 0 to forward. */
    interface Hook {
        int before(String method, String pathAndQuery) throws Exception;
    }

    /** A pass-through in front of FakeZocdoc's API, so a test can hold or alter single calls. */
    static final class Proxy implements AutoCloseable {
        final HttpServer server;
        volatile Hook hook = (m, p) -> 0;
        private final HttpClient client = HttpClient.newHttpClient();

        Proxy(URI target) throws Exception {
            server = LocalHttpServers.create(8);
            server.createContext("/", exchange -> {
                try {
                    forward(exchange, target);
                } catch (Exception e) {
                    exchange.sendResponseHeaders(500, -1);
                    exchange.close();
                }
            });
            server.start();
        }

        private void forward(HttpExchange exchange, URI target) throws Exception {
            String raw = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            int override = hook.before(exchange.getRequestMethod(), raw);
            if (override != 0) {
                byte[] body = "{\"request_id\":\"r\",\"error_type\":\"invalid_request\",\"errors\":[]}".getBytes();
                exchange.sendResponseHeaders(override, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + raw))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(requestBody));
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                request.header("Authorization", auth);
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Retry-After").ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } else {
                exchange.close();
            }
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @BeforeEach
    void start() throws Exception {
        zocdoc = FakeZocdoc.start();
        twilio = FakeTwilio.start();
        proxy = new Proxy(zocdoc.base());
        zocdoc.nameProvider("pr_1", "Dr. Jane Smith");
        relay = startRelay();
    }

    private TestRelay startRelay() throws Exception {
        Map<String, String> env = new HashMap<>(zocdoc.env());
        env.put("ZOCDOC_API_BASE", proxy.base().toString());
        env.put("SMS_CONSENT", "assumed");
        env.put("QUIET_HOURS", "off");
        env.putAll(twilio.env());
        return TestRelay.start(dataDir, env, WriteFaults.NONE);
    }

    @AfterEach
    void stop() {
        relay.close();
        proxy.close();
        twilio.close();
        zocdoc.close();
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.until(what, condition);
    }

    private List<DeliveryView> deliveries(String appointmentId) {
        try {
            return relay.relay().engine().snapshot().get().stream().filter(v -> v.appointmentId().equals(appointmentId)).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long fetchesSent(String appointmentId) {
        return deliveries(appointmentId).stream()
                .filter(v -> v.kind() == DeliveryKind.FETCH_DETAILS && v.state() == DeliveryState.SENT).count();
    }

    private long fetchesSettled(String appointmentId) {
        return deliveries(appointmentId).stream()
                .filter(v -> v.kind() == DeliveryKind.FETCH_DETAILS && !v.state().isPending()
                        && v.state() != DeliveryState.ATTEMPTING).count();
    }

    /** Waits until the engine has nothing queued and no send in flight (so nothing more is about to go out). */
    private void settle() throws InterruptedException {
        relay.settle();
    }

    private long textsTo(String phone) {
        return twilio.messages().stream().filter(m -> phone.equals(m.string("to"))).count();
    }

    private List<String> storedKeys() throws Exception {
        return relay.storedRecords().stream().map(StoredRecord::key).toList();
    }

    private void bookedLongAgo(String id, String start, Instant modified) {
        zocdoc.putAppointment(id, "confirmed", start, Instant.now().minus(Duration.ofDays(3)), modified, "pr_1",
                Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_DIGITS, Fixtures.EMAIL);
    }

    private static String startIn(int days, int hour) {
        return OffsetDateTime.now(ZoneOffset.ofHours(-5)).plusDays(days).withHour(hour).withMinute(0).withSecond(0)
                .withNano(0).toString();
    }

    /**
     * Two thin webhooks for one appointment in quick succession: the first fetch reads
     * the older version, the second reads the newer one and stores it first (the fetches run
     * on 4 parallel workers). The older version stored last wins: the appointment is moved
     * back to the old time and the patient is texted the wrong time.
     */
    @Test
    void anOlderVersionFetchedEarlierButStoredLaterMustNotOverwriteTheNewerOne() throws Exception {
        String oldStart = startIn(10, 14);
        String newStart = startIn(10, 16);
        Instant v2 = Instant.now().minusSeconds(60);
        bookedLongAgo("ap-race", oldStart, v2);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger participantsCalls = new AtomicInteger();
        proxy.hook = (method, path) -> {
            if (path.equals("/v1/appointments/ap-race/participants") && participantsCalls.incrementAndGet() == 1) {
                held.countDown(); // the first fetch has read the appointment (v2): its participants call is slow
                release.await(10, TimeUnit.SECONDS);
            }
            return 0;
        };
        relay.postSigned(Fixtures.thinEvent("ap-race", v2.toString(), "updated"));
        assertTrue(held.await(10, TimeUnit.SECONDS));

        Instant v3 = Instant.now().minusSeconds(30);
        zocdoc.change("ap-race", "confirmed", newStart, v3); // the patient moves it again
        relay.postSigned(Fixtures.thinEvent("ap-race", v3.toString(), "updated"));
        await(() -> fetchesSent("ap-race") == 1, "the second fetch (v3) stored");
        release.countDown();
        await(() -> fetchesSent("ap-race") == 2, "the first fetch (v2) stored");
        settle();

        // v3 is what Zocdoc holds: reminders for 16:00, no "moved" text telling 14:00.
        assertEquals(0, textsTo(Fixtures.PHONE_E164),
                "patient texted about an older version: " + twilio.messages());
    }

    /**
     * The sweep's mark is our clock at the start of the sweep. A change stamped more than
     * the 2-minute overlap before that (Zocdoc's clock a few minutes behind ours, or a write
     * that reaches the list endpoint late) is never listed again: its lost webhook stays lost.
     */
    @Test
    void aChangeStampedAFewMinutesBeforeTheLastSweepIsStillSwept() throws Exception {
        relay.relay().sweep().runOnce();
        Instant stamped = Instant.now().minus(Duration.ofMinutes(3)); // Zocdoc's clock 3 min behind ours
        zocdoc.putAppointment("ap-skew", "confirmed", Fixtures.START_TIME, stamped, stamped, "pr_1",
                Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_DIGITS, Fixtures.EMAIL);
        ZocdocSweep.Result second = relay.relay().sweep().runOnce();
        assertEquals(1, second.fed(), "the booking (its webhook lost) is never swept");
    }

    /**
     * The list is paged by offset (page=N) over a sort key that changes: an appointment
     * modified while the sweep pages moves to the end, everything behind it shifts one place
     * forward, and the first appointment of the next page is never listed. Its change is
     * older than the next sweep's "since", so it is lost for good.
     */
    @Test
    void anAppointmentModifiedWhileTheSweepPagesDoesNotHideAnother() throws Exception {
        Instant base = Instant.now().minus(Duration.ofMinutes(10));
        for (String id : List.of("ap-pg-a", "ap-pg-b", "ap-pg-c")) {
            bookedLongAgo(id, Fixtures.START_TIME, base);
            base = base.plusSeconds(1);
        }
        zocdoc.pageSize(1);
        proxy.hook = (method, path) -> {
            if (path.startsWith("/v1/appointments?") && path.contains("&page=1&")) {
                zocdoc.change("ap-pg-a", "confirmed", null, Instant.now()); // the patient edits A meanwhile
            }
            return 0;
        };
        relay.relay().sweep().runOnce();
        proxy.hook = (method, path) -> 0;
        relay.relay().sweep().runOnce();
        List<String> keys = storedKeys();
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("zocdoc-sweep:ap-pg-b|")), "B was never listed: " + keys);
    }

    /**
     * A participants 404 (e.g. read-after-write lag right after booking) stores this
     * version WITHOUT a patient. The version then counts as held: a repeated webhook and the
     * sweep both skip it, so the patient never gets the confirmation or reminders.
     */
    @Test
    void aTransientParticipants404DoesNotLoseTheBookingForGood() throws Exception {
        Instant modified = Instant.now().minusSeconds(60);
        zocdoc.putAppointment("ap-np", "confirmed", Fixtures.START_TIME, Instant.now().minusSeconds(120), modified, "pr_1",
                Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_DIGITS, Fixtures.EMAIL);
        AtomicInteger calls = new AtomicInteger();
        proxy.hook = (method, path) ->
                path.equals("/v1/appointments/ap-np/participants") && calls.incrementAndGet() == 1 ? 404 : 0;
        relay.postSigned(Fixtures.thinEvent("ap-np", modified.toString(), "updated"));
        await(() -> deliveries("ap-np").stream().anyMatch(v -> v.state() == DeliveryState.PENDING && v.attempts() == 1),
                "the first fetch to be retried later, not settled without a patient");
        // Zocdoc retries / the sweep runs: the participants are there now
        relay.postSigned(Fixtures.thinEvent("ap-np", modified.toString(), "created"));
        await(() -> fetchesSettled("ap-np") == 1, "the second fetch");
        relay.relay().sweep().runOnce();
        settle();
        assertEquals(1, textsTo(Fixtures.PHONE_E164), "no confirmation ever: " + deliveries("ap-np"));
    }

    /**
     * A fetch refused for good (here a 403) is a failed delivery with its reason, shown with
     * the others (the operator can see and retry it); it is not fed again by
     * every later sweep, which would fetch it again every interval.
     */
    @Test
    void aSweptVersionWhoseFetchIsRefusedForGoodIsAVisibleFailure() throws Exception {
        Instant modified = Instant.now().minusSeconds(60);
        zocdoc.putAppointment("ap-dead", "confirmed", Fixtures.START_TIME, Instant.now().minusSeconds(120), modified, "pr_1",
                Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_DIGITS, Fixtures.EMAIL);
        proxy.hook = (method, path) -> path.equals("/v1/appointments/ap-dead") ? 403 : 0;
        assertEquals(1, relay.relay().sweep().runOnce().fed());
        await(() -> fetchesSettled("ap-dead") == 1, "the fetch to fail");
        assertEquals(DeliveryState.FAILED, deliveries("ap-dead").get(0).state());
        assertEquals("zocdoc appointment http 403", deliveries("ap-dead").get(0).lastError());
        assertEquals(0, relay.relay().sweep().runOnce().fed());
    }

    /**
     * Half-configured API settings are silently ignored: ZOCDOC_CLIENT_ID without its
     * secret gives no problem and check-config says OK, while every thin webhook then goes
     * unanswered (no fetch, no sweep).
     */
    @Test
    void aClientIdWithoutSecretIsAProblem() {
        Config config = Config.inspect(Map.of("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "ZOCDOC_CLIENT_ID", "abc",
                "ZOCDOC_ENV", "sandbox"));
        assertFalse(config.zocdocApiConfigured);
        assertFalse(config.problems().isEmpty(), "ZOCDOC_CLIENT_ID without ZOCDOC_CLIENT_SECRET is not reported");
    }

    /**
     * Changes sharing one instant fill whole pages: the sweep pages through that instant
     * (up to the API's 11 pages) instead of asking for the same first page again.
     */
    @Test
    void changesSharingOneInstantArePagedThrough() throws Exception {
        Instant same = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (int i = 0; i < 11; i++) {
            bookedLongAgo(String.format("ap-same-%02d", i), Fixtures.START_TIME, same);
        }
        zocdoc.pageSize(1);
        ZocdocSweep.Result sweep = relay.relay().sweep().runOnce();
        assertEquals(11, sweep.fed());
        assertFalse(sweep.cutOff());
    }

    /**
     * Zocdoc's API has no "arrived" status: after a thin "arrived" webhook (reminders
     * withdrawn, no fetch) the appointment still reads "confirmed". The arrival bumped its
     * last_modified, so the next sweep (or any later webhook) fetches it; a same-day booking
     * is "fresh", so the details are CREATED and, the appointment no longer being booked,
     * planned as a new booking: a second confirmation to a patient in the waiting room.
     */
    @Test
    void aSameDayBookingThatArrivedIsNotConfirmedAgainBySweep() throws Exception {
        String soon = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(20).withNano(0).toString();
        Instant v1 = Instant.now().minusSeconds(60);
        zocdoc.putAppointment("ap-arr", "confirmed", soon, Instant.now().minusSeconds(3600), v1, "pr_1",
                Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_DIGITS, Fixtures.EMAIL);
        relay.postSigned(Fixtures.thinEvent("ap-arr", v1.toString(), "updated"));
        await(() -> textsTo(Fixtures.PHONE_E164) == 1, "the confirmation");
        Instant arrived = Instant.now();
        zocdoc.change("ap-arr", "confirmed", null, arrived); // the API knows no "arrived"
        relay.postSigned(Fixtures.thinEvent("ap-arr", arrived.toString(), "arrived"));
        relay.relay().engine().awaitIdle(5_000);
        relay.relay().sweep().runOnce();
        await(() -> fetchesSettled("ap-arr") == 2, "the sweep's fetch");
        settle();
        assertEquals(1, textsTo(Fixtures.PHONE_E164), "confirmed again after arriving: " + twilio.messages());
    }
}
