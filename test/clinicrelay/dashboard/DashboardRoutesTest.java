package clinicrelay.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.TrustedProxies;
import clinicrelay.journal.WriteFaults;
import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonObject;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard, stats, operator and metrics routes on a real relay: auth, headers, figures, no PHI. */
class DashboardRoutesTest {
    private static final String PASSWORD = "correct-horse-battery";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dataDir;

    private static HttpResponse<String> get(TestRelay relay, String path, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(relay.uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (password != null) {
            request.header("Authorization", basic("admin", password));
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(TestRelay relay, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(relay.uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", basic("admin", PASSWORD));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private TestRelay relay(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("QUIET_HOURS", "off");
        return TestRelay.start(dataDir, env, WriteFaults.NONE);
    }

    @Test
    void withoutAPasswordTheRoutesDoNotExistButMetricsDo() throws Exception {
        try (TestRelay relay = relay(Map.of())) {
            for (String path : new String[] {"/dashboard", "/api/stats?days=30", "/api/deliveries?state=dead"}) {
                assertEquals(404, get(relay, path, "anything-at-all").statusCode(), path);
            }
            assertEquals(200, get(relay, "/metrics", null).statusCode());
        }
    }

    @Test
    void basicAuthWithSafeHeadersAndALockoutAfterRepeatedFailures() throws Exception {
        try (TestRelay relay = relay(Map.of("DASHBOARD_PASSWORD", PASSWORD))) {
            HttpResponse<String> anonymous = get(relay, "/dashboard", null);
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
            HttpResponse<String> ok = get(relay, "/dashboard", PASSWORD);
            assertEquals(200, ok.statusCode());
            assertEquals("no-store", ok.headers().firstValue("Cache-Control").orElse(""));
            assertTrue(ok.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
            assertFalse(ok.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src"));
            assertEquals("nosniff", ok.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("no-referrer", ok.headers().firstValue("Referrer-Policy").orElse(""));
            assertEquals("DENY", ok.headers().firstValue("X-Frame-Options").orElse(""));
            assertTrue(ok.body().contains("No appointments yet"), "a clear empty state on a fresh install");
            assertFalse(ok.body().contains("<script"), "no script at all");
            for (int i = 0; i < DashboardAuth.FAILURES_MAX; i++) {
                assertEquals(401, get(relay, "/api/stats", "wrong-password-" + i).statusCode());
            }
            HttpResponse<String> locked = get(relay, "/dashboard", PASSWORD);
            assertEquals(429, locked.statusCode(), "even the right password waits out the lockout");
            assertTrue(locked.headers().firstValue("Retry-After").isPresent());
            assertTrue(relay.logText().contains("locked out"), relay.logText());
            assertFalse(relay.logText().contains("wrong-password"), "a tried password is never logged");
        }
    }

    @Test
    void theFiguresAreShownWithProviderNamesEscapedAndNoPatientData() throws Exception {
        try (TestRelay relay = relay(Map.of("DASHBOARD_PASSWORD", PASSWORD))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-d" + i, "appointment.created", "appt-d" + i))
                        .statusCode());
            }
            String hostile = Fixtures.fullEvent("evt-x", "appointment.created", "appt-x")
                    .replace("Dr. Jane Smith", "<script>alert(1)</script>").replace("\"pr_1\"", "\"pr_x\"");
            relay.postSigned(hostile.getBytes(StandardCharsets.UTF_8));
            relay.postSigned(Fixtures.fullEventBytes("evt-c", "appointment.cancelled", "appt-d0"));
            relay.relay().engine().awaitIdle(5_000);

            String page = get(relay, "/dashboard?days=7", PASSWORD).body();
            assertTrue(page.contains("<b>4</b><span>booked</span>"), page);
            assertTrue(page.contains("Dr. Jane Smith"));
            assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown, escaped");
            assertFalse(page.contains("<script"), "never as markup");
            String lower = page.toLowerCase(Locale.ROOT);
            for (String phi : Fixtures.PHI) {
                assertFalse(lower.contains(phi.toLowerCase(Locale.ROOT)), "PHI on the dashboard: " + phi);
            }

            JsonObject stats = Json.parseObject(get(relay, "/api/stats?days=30", PASSWORD).body().getBytes(StandardCharsets.UTF_8));
            assertEquals(4L, stats.object("totals").number("created").toLongOrNull());
            assertEquals(1L, stats.object("totals").number("cancelled").toLongOrNull());
            assertEquals(7, ((JsonArray) stats.get("bookings_by_hour_of_week")).values().size());
            assertEquals(400, get(relay, "/api/stats?days=400", PASSWORD).statusCode());
        }
    }

    @Test
    void theOperatorSeesFailedDeliveriesMaskedAndRetriesThemOnlyFromTheSameSite() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.optOut(Fixtures.PHONE_E164); // Twilio refuses: 21610, a failed delivery
            try (TestRelay relay = relay(Map.of("DASHBOARD_PASSWORD", PASSWORD, "TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID,
                    "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN, "TWILIO_PHONE_NUMBER", "+15005550006",
                    "TWILIO_API_BASE", twilio.base().toString()))) {
                relay.postSigned(Fixtures.fullEventBytes("evt-f", "appointment.created", "appt-f"));
                JsonArray failed = Await.until("a failed delivery listed", () -> Json.parseObject(
                        get(relay, "/api/deliveries?state=failed", PASSWORD).body().getBytes(StandardCharsets.UTF_8))
                        .array("deliveries"), rows -> !rows.values().isEmpty());
                JsonObject row = (JsonObject) failed.values().get(0);
                assertEquals("+1•••••••0199", row.string("recipient"));
                assertTrue(row.string("last_error").contains("21610"), row.toString());
                String listed = get(relay, "/api/deliveries?state=failed", PASSWORD).body();
                assertFalse(listed.contains(Fixtures.PHONE_E164) || listed.contains(Fixtures.FIRST_NAME), listed);
                assertEquals(400, get(relay, "/api/deliveries?state=everything", PASSWORD).statusCode());

                String retry = row.string("retry");
                assertEquals(403, post(relay, retry, Map.of("Origin", "https://evil.example")).statusCode());
                assertEquals(403, post(relay, retry, Map.of("Sec-Fetch-Site", "cross-site")).statusCode());
                assertEquals(202, post(relay, retry, Map.of()).statusCode());
                assertEquals(409, post(relay, retry, Map.of()).statusCode(), "no longer failed");
                assertEquals(409, post(relay, "/api/deliveries/nope/retry", Map.of()).statusCode());
                assertTrue(relay.logText().contains("delivery retry requested"), relay.logText());
            }
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})? -?[0-9.eE+]+$");

    @Test
    void metricsAreValidPrometheusTextAndCountersIncrease() throws Exception {
        try (TestRelay relay = relay(Map.of())) {
            relay.postSigned(Fixtures.fullEventBytes("evt-m1", "appointment.created", "appt-m1"));
            String first = get(relay, "/metrics", null).body();
            for (String line : first.split("\n")) {
                assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches(), line);
            }
            assertTrue(first.contains("clinic_relay_webhooks_total{source=\"zocdoc\",outcome=\"accepted\"} 1"), first);
            assertTrue(first.contains("clinic_relay_journal_append_seconds_bucket{le=\"+Inf\"}"));
            assertTrue(first.contains("clinic_relay_deliveries_pending "));
            assertTrue(first.contains("clinic_relay_jvm_heap_used_bytes "));
            relay.postSigned(Fixtures.fullEventBytes("evt-m2", "appointment.created", "appt-m2"));
            relay.post("/webhook", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
            String second = get(relay, "/metrics", null).body();
            assertTrue(second.contains("clinic_relay_webhooks_total{source=\"zocdoc\",outcome=\"accepted\"} 2"), second);
            assertTrue(second.contains("clinic_relay_webhooks_total{source=\"zocdoc\",outcome=\"invalid_signature\"} 1"), second);
            String lower = second.toLowerCase(Locale.ROOT);
            for (String phi : Fixtures.PHI) {
                assertFalse(lower.contains(phi.toLowerCase(Locale.ROOT)), "PHI in metrics: " + phi);
            }
        }
    }

    @Test
    void behindALocalProxyTheLockoutIsPerForwardedClientSoAnAttackerCannotLockTheAdminOut() throws Exception {
        try (TestRelay relay = relay(Map.of("DASHBOARD_PASSWORD", PASSWORD, "TRUSTED_PROXIES", "127.0.0.1/32"))) {
            for (int i = 0; i < DashboardAuth.FAILURES_MAX; i++) {
                assertEquals(401, getVia(relay, "/dashboard", "attacker-guess-" + i, "203.0.113.9").statusCode());
            }
            assertEquals(429, getVia(relay, "/dashboard", PASSWORD, "203.0.113.9").statusCode(), "the attacker waits");
            assertEquals(200, getVia(relay, "/dashboard", PASSWORD, "198.51.100.7").statusCode(), "the admin does not");
            assertEquals(200, getVia(relay, "/dashboard", PASSWORD, "10.0.0.1, 198.51.100.7").statusCode(),
                    "the proxy's own hop (the last) is the client");
        }
    }

    private static HttpResponse<String> getVia(TestRelay relay, String path, String password, String forwardedFor)
            throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(relay.uri(path)).timeout(Duration.ofSeconds(10)).GET()
                .header("Authorization", basic("admin", password)).header("X-Forwarded-For", forwardedFor).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aForwardedAddressIsTrustedOnlyFromTrustedProxies() throws Exception {
        java.net.InetAddress remote = java.net.InetAddress.getByName("203.0.113.5");
        java.net.InetAddress local = java.net.InetAddress.getLoopbackAddress();
        TrustedProxies none = TrustedProxies.NONE;
        assertEquals("203.0.113.5", none.clientOf(remote, List.of("198.51.100.7")), "anyone can write the header");
        assertEquals(local.getHostAddress(), none.clientOf(local, List.of("198.51.100.7")), "not even from this machine, by default");
        TrustedProxies loopback = TrustedProxies.parse("127.0.0.1/32, ::1/128");
        assertEquals("198.51.100.7", loopback.clientOf(local, List.of("10.0.0.1, 198.51.100.7")), "the right-most hop");
        assertEquals("198.51.100.7", TrustedProxies.parse("127.0.0.1,10.0.0.0/8").clientOf(local,
                List.of("198.51.100.7, 10.0.0.1")), "trusted hops are skipped");
        assertEquals(local.getHostAddress(), loopback.clientOf(local, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("proxy.example"));
    }
}
