package clinicrelay.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.TestRelay;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's gate against the outside review's attacks: X-Forwarded-For is believed
 * only from TRUSTED_PROXIES (every line merged, the right-most untrusted hop is the
 * client), a global failure budget caps guessing whatever the addresses, the Host header
 * must name this relay (DNS rebinding), and /metrics can ask for a token.
 */
class DashboardHardeningTest {
    private static final String PASSWORD = "correct-horse-battery";

    @TempDir
    Path dataDir;

    private TestRelay relay(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("DASHBOARD_PASSWORD", PASSWORD);
        return TestRelay.start(dataDir, env, WriteFaults.NONE);
    }

    /** A raw GET: the status code, with exactly these header lines (several X-Forwarded-For lines, any Host). */
    private static int get(TestRelay relay, String path, String host, String password, List<String> forwardedFor)
            throws Exception {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
        if (password != null) {
            head.append("Authorization: Basic ").append(Base64.getEncoder().encodeToString(
                    ("admin:" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        for (String line : forwardedFor) {
            head.append("X-Forwarded-For: ").append(line).append("\r\n");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.write(buffer, 0, n);
            }
            return Integer.parseInt(answer.toString(StandardCharsets.ISO_8859_1).substring(9, 12));
        }
    }

    private static int get(TestRelay relay, String password, String... forwardedFor) throws Exception {
        return get(relay, "/dashboard", "127.0.0.1:" + relay.port(), password, List.of(forwardedFor));
    }

    @Test
    void withoutTrustedProxiesAForgedForwardedForCannotDodgeTheLockout() throws Exception {
        try (TestRelay relay = relay(Map.of())) {
            for (int i = 0; i < DashboardAuth.FAILURES_MAX; i++) {
                assertEquals(401, get(relay, "guess-" + i, "198.51.100." + i));
            }
            assertEquals(429, get(relay, "guess-x", "198.51.100.99"), "a new forged address each time changes nothing");
        }
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopOfEveryLineIsTheClient() throws Exception {
        try (TestRelay relay = relay(Map.of("TRUSTED_PROXIES", "127.0.0.1/32"))) {
            for (int i = 0; i < DashboardAuth.FAILURES_MAX; i++) {
                // HAProxy style: the client's own (forged) line first, the proxy's true line after it.
                assertEquals(401, get(relay, "guess-" + i, "10.9.9." + i, "203.0.113.9"));
            }
            assertEquals(429, get(relay, PASSWORD, "10.9.9.77", "203.0.113.9"), "the attacker is locked out");
            assertEquals(200, get(relay, PASSWORD, "198.51.100.7"), "the administrator is not");
        }
    }

    @Test
    void aGlobalBudgetCapsGuessingFromAnyNumberOfAddresses() throws Exception {
        try (TestRelay relay = relay(Map.of("TRUSTED_PROXIES", "127.0.0.1/32"))) {
            int refused = 0;
            for (int i = 0; i < DashboardAuth.GLOBAL_FAILURES_PER_MINUTE_MAX + 5; i++) {
                int status = get(relay, "guess-" + i, "203.0.113." + (i % 250) + ", 198.18." + (i / 250) + "." + (i % 250));
                refused += status == 429 ? 1 : 0;
            }
            assertTrue(refused >= 5, "past the budget every guess waits: " + refused);
            assertTrue(relay.logText().contains("dashboard: too many failed logins from everywhere"), relay.logText());
        }
    }

    @Test
    void aHostThatIsNotThisRelayIsRefused() throws Exception {
        try (TestRelay relay = relay(Map.of("PUBLIC_BASE_URL", "https://relay.example"))) {
            assertEquals(421, get(relay, "/dashboard", "attacker.example", PASSWORD, List.of()), "DNS rebinding");
            assertEquals(421, get(relay, "/api/stats", "attacker.example:" + relay.port(), PASSWORD, List.of()));
            assertEquals(200, get(relay, "/dashboard", "relay.example", PASSWORD, List.of()));
            assertEquals(200, get(relay, "/dashboard", "localhost:" + relay.port(), PASSWORD, List.of()));
        }
    }

    @Test
    void metricsAskForTheTokenWhenOneIsSet() throws Exception {
        try (TestRelay relay = relay(Map.of("METRICS_TOKEN", "metrics-token-0123456789"))) {
            assertEquals(401, relay.get("/metrics").statusCode());
            java.net.http.HttpResponse<String> allowed = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(relay.uri("/metrics"))
                            .header("Authorization", "Bearer metrics-token-0123456789").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, allowed.statusCode());
        }
    }
}
