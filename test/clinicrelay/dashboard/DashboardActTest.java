package clinicrelay.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.json.Json;
import clinicrelay.json.JsonObject;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a place to act, on a real relay over real HTTP: retry buttons (plain
 * form POSTs, same-site only) one at a time and all for one reason, a lookup by appointment
 * id answering "did she get my text?", windows of 365 days and custom ranges, CSV, the
 * period before beside each figure, the denominator written out, the phone layout's hints,
 * the providers table following the window, the next 14 days per provider, and a banner
 * when CLINIC_TIMEZONE is unset. No patient data on any page.
 */
class DashboardActTest {
    private static final String PASSWORD = "correct-horse-battery";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dataDir;

    private static HttpResponse<String> get(TestRelay relay, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(relay.uri(path)).timeout(Duration.ofSeconds(10)).GET()
                .header("Authorization", basic()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form POST as a browser sends it: with an Origin (this site's, unless told otherwise). */
    private static HttpResponse<String> form(TestRelay relay, String path, Map<String, String> fields, String origin)
            throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(relay.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static void noPatientData(String page) {
        String lower = page.toLowerCase(Locale.ROOT);
        for (String phi : Fixtures.PHI) {
            assertFalse(lower.contains(phi.toLowerCase(Locale.ROOT)), "patient data on a page: " + phi);
        }
    }

    @Test
    void failedMessagesAreRetriedByButtonOneOrAllForAReasonFromThisSiteOnly() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.rotateToken(); // every text refused: 401, code 20003
            Map<String, String> env = new HashMap<>(twilio.env());
            env.putAll(Map.of("DASHBOARD_PASSWORD", PASSWORD, "QUIET_HOURS", "off", "SMS_CONSENT", "assumed",
                    "PUBLIC_BASE_URL", "https://relay.clinic.example:8443"));
            try (TestRelay relay = TestRelay.start(dataDir, env, java.time.Clock.systemUTC())) {
                for (String appointment : List.of("appt-1", "appt-2")) {
                    relay.postSigned(Fixtures.fullEventBytes("evt-" + appointment, "appointment.created", appointment));
                }
                Await.until("two refused texts", () -> relay.relay().engine().counts().getOrDefault(DeliveryState.FAILED, 0) == 2);
                String origin = "http://127.0.0.1:" + relay.port();
                String page = get(relay, "/dashboard/deliveries?state=failed").body();
                assertTrue(page.contains("twilio http 401 code 20003") && page.contains("Retry all 2 for this reason")
                        && page.contains("The provider refused our credentials"), page);
                assertTrue(page.contains("<form method=\"post\" action=\"/dashboard/deliveries/retry\">")
                        && page.contains("+1•••••••0199") && !page.contains("<script"), page);
                noPatientData(page);
                String id = relay.relay().engine().inState(DeliveryState.FAILED, 10).get().get(0).id();

                assertEquals(403, form(relay, DeliveryRows.RETRY_PATH, Map.of("id", id), null).statusCode(),
                        "a form must say where it comes from");
                assertEquals(403, form(relay, DeliveryRows.RETRY_PATH, Map.of("id", id), "https://evil.example").statusCode());
                HttpResponse<String> one = form(relay, DeliveryRows.RETRY_PATH,
                        Map.of("id", id, "back", "/dashboard/deliveries?state=failed"), origin);
                assertEquals(303, one.statusCode());
                assertEquals("/dashboard/deliveries?state=failed&retried=1", one.headers().firstValue("Location").orElseThrow());
                Await.until("the retried text refused again", () -> relay.logText().split("outcome=failed", -1).length - 1 == 3);
                relay.settle();
                Await.until("and refused again", () -> relay.relay().engine().inState(DeliveryState.FAILED, 10).get().size() == 2);

                HttpResponse<String> all = form(relay, DeliveryRows.RETRY_PATH, Map.of("state", "failed",
                        "reason", "twilio http 401 code 20003", "back", "https://evil.example/"), origin);
                assertEquals(303, all.statusCode());
                assertEquals("/dashboard", all.headers().firstValue("Location").orElseThrow(), "never sent back to another site");
                assertEquals(3, relay.logText().split("delivery retry requested", -1).length - 1, "one, then both");
                Await.until("both refused again", () -> relay.logText().split("outcome=failed", -1).length - 1 == 5);
                relay.settle();
                Await.until("and listed", () -> relay.relay().engine().inState(DeliveryState.FAILED, 10).get().size() == 2);
                assertEquals(303, form(relay, DeliveryRows.RETRY_PATH, Map.of("id", id), "https://relay.clinic.example:8443")
                        .statusCode(), "behind a proxy the browser's origin is PUBLIC_BASE_URL's, whatever Host says");
                assertTrue(get(relay, "/dashboard/deliveries?state=failed&retried=2").body().contains("2 messages will be tried again"));
            }
        }
    }

    @Test
    void anAppointmentsMessagesAnswerDidSheGetMyText() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            Map<String, String> env = new HashMap<>(twilio.env());
            env.putAll(Map.of("DASHBOARD_PASSWORD", PASSWORD, "QUIET_HOURS", "off", "SMS_CONSENT", "assumed",
                    "PUBLIC_BASE_URL", "https://relay.clinic.example", "CLINIC_TIMEZONE", "America/New_York"));
            try (TestRelay relay = TestRelay.start(dataDir, env, java.time.Clock.systemUTC())) {
                relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1"));
                Await.until("the confirmation", () -> twilio.messagesTo(Fixtures.PHONE_E164) == 1);
                relay.settle();
                String page = Await.until("the confirmation shown as sent", () -> get(relay, "/dashboard/appointment?id=appt-1").body(),
                        body -> body.contains("Sent; the carrier has not confirmed delivery yet"));
                assertTrue(page.contains("Confirmation text") && page.contains("+1•••••••0199") && page.contains("Booked")
                        && page.contains("Dr. Jane Smith") && page.contains("Reminder text") && page.contains("Planned"), page);
                noPatientData(page);
                assertTrue(get(relay, "/dashboard/appointment?id=no-such").body().contains("Not found"));
                assertEquals(400, get(relay, "/dashboard/appointment?id=").statusCode());
                assertEquals(400, get(relay, "/dashboard/appointment?id=" + "x".repeat(200)).statusCode());
            }
        }
    }

    @Test
    void windowsRangesCsvComparisonsAndTheDaysAhead() throws Exception {
        Map<String, String> env = Map.of("DASHBOARD_PASSWORD", PASSWORD, "QUIET_HOURS", "off", "DRY_RUN", "true");
        try (TestRelay relay = TestRelay.start(dataDir, env, java.time.Clock.systemUTC())) {
            for (int i = 0; i < 3; i++) {
                relay.postSigned(Fixtures.fullEventBytes("evt-" + i, "appointment.created", "appt-" + i));
            }
            relay.postSigned(Fixtures.fullEventBytes("evt-c", "appointment.cancelled", "appt-0"));
            relay.settle();
            HttpResponse<String> week = get(relay, "/dashboard?days=7");
            assertEquals("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self';"
                    + " frame-ancestors 'none'", week.headers().firstValue("Content-Security-Policy").orElseThrow(), "no script");
            String page = week.body();
            assertTrue(page.contains("of 1 appointments that were cancelled, attended or missed in this window"), page);
            assertTrue(page.contains("the 7 days before: 0"), "the previous period beside the figures");
            assertTrue(page.contains("Providers <span class=\"sub\">last 7 days</span>"), "the providers table follows the window");
            assertTrue(page.contains("class=\"scroll newest\"") && page.contains("Scroll sideways for all 24 hours"),
                    "the phone layout opens on the newest days and says the heat maps scroll");
            assertTrue(page.contains("Next 14 days") && page.contains("<td>Dr. Jane Smith</td><td class=\"n\">2</td>"),
                    "two appointments ahead (one was cancelled): " + page);
            assertTrue(page.contains("CLINIC_TIMEZONE is not set"), "times in UTC are called out");
            noPatientData(page);

            assertEquals(200, get(relay, "/dashboard?days=365").statusCode());
            LocalDate today = LocalDate.now(ZoneId.of("UTC"));
            String range = "from=" + today.minusDays(13) + "&to=" + today;
            String custom = get(relay, "/dashboard?" + range).body();
            assertTrue(custom.contains("Providers <span class=\"sub\">" + today.minusDays(13) + " – " + today + "</span>")
                    && custom.contains("the 14 days before"), custom);
            for (String bad : List.of("from=" + today + "&to=" + today.minusDays(1), "from=" + today.minusDays(400) + "&to=" + today,
                    "from=" + today + "&to=" + today.plusDays(1), "from=yesterday&to=today", "days=12")) {
                HttpResponse<String> refused = get(relay, "/dashboard?" + bad);
                assertEquals(400, refused.statusCode(), bad);
                assertTrue(refused.body().startsWith("{\"error\":"), refused.body());
            }

            HttpResponse<String> csv = get(relay, "/api/stats.csv?days=7");
            assertEquals(200, csv.statusCode());
            assertTrue(csv.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
            assertTrue(csv.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment; filename=\"appointments-"));
            String[] lines = csv.body().split("\r\n");
            assertEquals("date,booked,cancelled,rescheduled,checked_in,no_shows,reminders_sent,confirmed_by_reply", lines[0]);
            assertEquals(8, lines.length, "a header and seven days");
            assertEquals(today + ",3,1,0,0,0,0,0", lines[7]);

            JsonObject json = Json.parseObject(get(relay, "/api/stats?" + range).body().getBytes(StandardCharsets.UTF_8));
            assertEquals(14L, json.number("days").toLongOrNull());
            assertEquals(today.minusDays(27).toString(), json.object("previous_period").string("from"));
            assertEquals(1L, json.object("totals").number("settled").toLongOrNull());
        }
        Map<String, String> zoned = new HashMap<>(env);
        zoned.put("CLINIC_TIMEZONE", "America/Chicago");
        try (TestRelay relay = TestRelay.start(dataDir, zoned, java.time.Clock.systemUTC())) {
            assertFalse(get(relay, "/dashboard").body().contains("CLINIC_TIMEZONE is not set"));
        }
    }
}
