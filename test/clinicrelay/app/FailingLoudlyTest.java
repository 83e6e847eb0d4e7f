package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonObject;
import clinicrelay.testing.Await;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.FakeSendGrid;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.FakeZocdoc;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.LocalHttpServers;
import clinicrelay.testing.MutableClock;
import clinicrelay.testing.TestRelay;
import com.sun.net.httpserver.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay whose texts fail says so: /health turns "degraded" (200, with problem codes) on
 * refused credentials, dead messages and a failing Zocdoc sweep, and a person is told once
 * per new problem, by a chat webhook (a local receiver speaking Slack's incoming-webhook
 * format) and by e-mail (the local SendGrid), with no patient data and a rate limit.
 */
class FailingLoudlyTest {
    private static final String PUBLIC = "https://relay.clinic.example";
    private static final String ALERT_TO = "it-desk@clinic.example";
    private static final List<String> PATIENT_DATA = List.of(Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_E164,
            Fixtures.PHONE_DIGITS, Fixtures.EMAIL, Fixtures.DATE_OF_BIRTH, Fixtures.VISIT_REASON);

    @TempDir
    Path dataDir;
    private HttpServer chat;
    private final List<String> chatPosts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startChat() throws Exception {
        chat = LocalHttpServers.create(2);
        chat.createContext("/hooks/clinic", exchange -> {
            try (exchange) {
                chatPosts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8); // what Slack answers
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
        });
        chat.start();
    }

    @AfterEach
    void stopChat() {
        chat.stop(0);
    }

    private String chatUrl() {
        return "http://127.0.0.1:" + chat.getAddress().getPort() + "/hooks/clinic";
    }

    private static JsonObject health(TestRelay relay) throws Exception {
        HttpResponse<String> answer = relay.get("/health");
        assertEquals(200, answer.statusCode(), "the relay still takes webhooks: " + answer.body());
        return Json.parseObject(answer.body().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> problems(JsonObject health) {
        JsonArray array = health.array("problems");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            codes.add((String) array.get(i));
        }
        return codes;
    }

    @Test
    void refusedCredentialsDegradeHealthAndAlertOnceByChatAndEmailWithoutPatientData() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start(); FakeSendGrid sendgrid = FakeSendGrid.start()) {
            twilio.rotateToken();
            Map<String, String> env = new HashMap<>(twilio.env());
            env.putAll(Map.of("PUBLIC_BASE_URL", PUBLIC, "QUIET_HOURS", "off", "SMS_CONSENT", "assumed",
                    "SENDGRID_API_KEY", FakeSendGrid.API_KEY, "SENDGRID_FROM_EMAIL", "front@clinic.example",
                    "SENDGRID_API_BASE", sendgrid.base().toString(), "ALERT_EMAIL", ALERT_TO, "ALERT_WEBHOOK_URL", chatUrl()));
            try (TestRelay relay = TestRelay.start(dataDir, env, Clock.systemUTC())) {
                relay.relay().oversight().awaitProbes(10_000);
                assertEquals(List.of("twilio_credentials_refused"), problems(health(relay)), "the start-up probe found it");
                assertTrue(relay.logText().contains("WARN credentials check failed") && relay.logText().contains("copy both again"),
                        relay.logText());
                for (int i = 1; i <= 3; i++) {
                    assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-" + i, "appointment.created", "appt-" + i))
                            .statusCode());
                }
                Await.until("three texts refused", () -> relay.relay().engine().counts().getOrDefault(DeliveryState.FAILED, 0) >= 3);
                JsonObject health = health(relay);
                assertEquals("degraded", health.string("status"));
                assertTrue(problems(health).containsAll(List.of("twilio_credentials_refused", "sms_sends_refused")), health.toString());

                relay.relay().oversight().alerter.check();
                assertEquals(1, chatPosts.size(), "one message for the new problems: " + chatPosts);
                String text = Json.parseObject(chatPosts.get(0).getBytes(StandardCharsets.UTF_8)).string("text");
                assertTrue(text.contains("clinic-relay: 2 new problems") && text.contains("twilio refused TWILIO_ACCOUNT_SID")
                        && text.contains("the last 3 sms attempts were refused on authentication (twilio http 401 code 20003)"), text);
                List<JsonObject> alertMails = sendgrid.mails().stream()
                        .filter(mail -> mail.toString().contains(ALERT_TO)).toList();
                assertEquals(1, alertMails.size(), sendgrid.mails().toString());
                assertTrue(alertMails.get(0).string("subject").equals("clinic-relay: 2 new problems"), alertMails.get(0).toString());
                for (String phi : PATIENT_DATA) {
                    assertFalse(chatPosts.get(0).contains(phi) || alertMails.get(0).toString().contains(phi)
                            || relay.logText().contains(phi) || relay.get("/health").body().contains(phi), "patient data: " + phi);
                }
                relay.relay().oversight().alerter.check();
                assertEquals(1, chatPosts.size(), "a problem that lasts is told once");
            }
        }
    }

    @Test
    void deadMessagesAndASweepFailingForTwoIntervalsDegradeHealthAndGoAwayWhenFixed() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (FakeTwilio twilio = FakeTwilio.start(); FakeZocdoc zocdoc = FakeZocdoc.start()) {
            Map<String, String> env = new HashMap<>(twilio.env());
            env.putAll(zocdoc.env());
            env.putAll(Map.of("PUBLIC_BASE_URL", PUBLIC, "QUIET_HOURS", "off", "SMS_CONSENT", "assumed",
                    "ALERT_WEBHOOK_URL", chatUrl()));
            try (TestRelay relay = TestRelay.start(dataDir, env, clock)) {
                twilio.useClock(clock);
                for (int i = 0; i < 8; i++) {
                    twilio.failNext(FakeTwilio.Fault.SERVICE_UNAVAILABLE);
                }
                assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-d", "appointment.created", "appt-d")).statusCode());
                relay.relay().engine().awaitSettled(10_000);
                for (int i = 0; i < 8 && relay.relay().engine().counts().getOrDefault(DeliveryState.DEAD, 0) == 0; i++) {
                    clock.advance(Duration.ofHours(2));
                    relay.relay().engine().awaitSettled(10_000);
                }
                assertEquals(1, relay.relay().engine().counts().getOrDefault(DeliveryState.DEAD, 0), "retries ran out");
                assertEquals(List.of("deliveries_dead"), problems(health(relay)));

                zocdoc.failNext(FakeZocdoc.Fault.SERVICE_UNAVAILABLE);
                assertThrows(Exception.class, () -> relay.relay().sweep().runOnce());
                clock.advance(Duration.ofMinutes(29));
                assertFalse(problems(health(relay)).contains("zocdoc_sweep_failing"), "two intervals (15 min each) not yet over");
                clock.advance(Duration.ofMinutes(2));
                assertTrue(problems(health(relay)).contains("zocdoc_sweep_failing"));

                relay.relay().oversight().alerter.check();
                assertEquals(1, chatPosts.size());
                assertTrue(chatPosts.get(0).contains("1 message has run out of retries")
                        && chatPosts.get(0).contains("the Zocdoc sweep has failed since"), chatPosts.get(0));

                relay.relay().sweep().runOnce();
                assertEquals(List.of("deliveries_dead"), problems(health(relay)), "a sweep that works again clears it");
            }
        }
    }

    @Test
    void aProblemThatComesBackIsToldAgainOnlyAfterSixHoursAndNeverMoreThanFourAnHour() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        List<Attention.Problem> now = new ArrayList<>();
        List<String> told = new ArrayList<>();
        Alerter alerter = new Alerter(() -> List.copyOf(now), List.of((subject, text) -> told.add(text)), "Smile Dental",
                clock, new CapturedLog(clock).log());
        now.add(new Attention.Problem("deliveries_dead", "1 message has run out of retries"));
        alerter.check();
        assertEquals(1, told.size());
        now.clear();
        alerter.check();
        clock.advance(Duration.ofMinutes(5));
        now.add(new Attention.Problem("deliveries_dead", "1 message has run out of retries"));
        alerter.check();
        assertEquals(1, told.size(), "back within six hours: not told again");
        now.clear();
        alerter.check();
        clock.advance(Duration.ofHours(6));
        now.add(new Attention.Problem("deliveries_dead", "2 messages have run out of retries"));
        alerter.check();
        assertEquals(2, told.size(), "back after six hours: told again");
        now.clear();
        alerter.check();
        clock.advance(Duration.ofMinutes(1));
        now.add(new Attention.Problem("deliveries_dead", "3 messages have run out of retries"));
        alerter.check();
        assertEquals(2, told.size(), "back a minute later: not yet");
        clock.advance(Duration.ofHours(6));
        alerter.check();
        assertEquals(3, told.size(), "still there six hours after the last message: told again");
        now.clear();
        alerter.check();

        for (int i = 0; i < 6; i++) { // six new problems in one hour
            now.add(new Attention.Problem("flapping_" + i, "problem " + i));
            alerter.check();
            clock.advance(Duration.ofMinutes(1));
        }
        assertEquals(3 + 3, told.size(), "at most four messages an hour: " + told);
        clock.advance(Duration.ofHours(1));
        alerter.check();
        assertEquals(7, told.size(), "held-back problems are told when the hour is over");
        assertTrue(told.get(6).contains("problem 3") && told.get(6).contains("problem 5"), told.get(6));
    }
}
