package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS served directly from a PKCS#12 keystore (TLS_KEYSTORE). */
class TlsTest {
    private static final String PASSWORD = "keystore-password-1";

    @TempDir
    Path dir;

    private Path keystore() throws Exception {
        Path keystore = dir.resolve("relay.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "relay", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        return keystore;
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void servesHttpsFromAPkcs12Keystore() throws Exception {
        Path keystore = keystore();
        Map<String, String> env = Map.of("TLS_KEYSTORE", keystore.toString(), "TLS_KEYSTORE_PASSWORD", PASSWORD);
        try (TestRelay relay = TestRelay.start(dir.resolve("data"), env, WriteFaults.NONE)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            byte[] body = Fixtures.fullEventBytes("evt-tls", "appointment.created", "appt-tls");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + relay.port() + "/webhook"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, body).forEach(request::header);
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("{\"received\":true}", response.body());
        }
    }

    @Test
    void theDashboardOverTlsSendsHsts() throws Exception {
        Path keystore = keystore();
        Map<String, String> env = Map.of("TLS_KEYSTORE", keystore.toString(), "TLS_KEYSTORE_PASSWORD", PASSWORD,
                "DASHBOARD_PASSWORD", "correct-horse-battery");
        try (TestRelay relay = TestRelay.start(dir.resolve("data"), env, WriteFaults.NONE)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + relay.port()
                    + "/dashboard")).header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    "admin:correct-horse-battery".getBytes(java.nio.charset.StandardCharsets.UTF_8))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("max-age=31536000", page.headers().firstValue("Strict-Transport-Security").orElse(""));
        }
    }

    @Test
    void plainHttpExposedBeyondThisMachineIsWarnedAboutLoudly() throws Exception {
        Map<String, String> env = Map.of("BIND_ADDRESS", "0.0.0.0", "DASHBOARD_PASSWORD", "correct-horse-battery",
                "PUBLIC_BASE_URL", "http://relay.example");
        try (TestRelay relay = TestRelay.start(dir.resolve("data"), env, WriteFaults.NONE)) {
            String log = relay.logText();
            assertTrue(log.contains("WARN listening on 0.0.0.0 in plain HTTP"), log);
            assertTrue(log.contains("WARN the dashboard's password would cross the network in clear"), log);
            assertTrue(log.contains("WARN PUBLIC_BASE_URL is plain http"), log);
        }
    }

    @Test
    void aWrongKeystorePasswordRefusesToStartWithoutPrintingIt() throws Exception {
        Path keystore = keystore();
        Map<String, String> env = Map.of("TLS_KEYSTORE", keystore.toString(), "TLS_KEYSTORE_PASSWORD", "not-it-at-all");
        Relay.StartupException refused = assertThrows(Relay.StartupException.class,
                () -> TestRelay.start(dir.resolve("data"), env, WriteFaults.NONE));
        assertTrue(refused.getMessage().contains("TLS_KEYSTORE " + keystore + " cannot be used"), refused.getMessage());
        assertFalse(refused.getMessage().contains("not-it-at-all"));
    }
}
