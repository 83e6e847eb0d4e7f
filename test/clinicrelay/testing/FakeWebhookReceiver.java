package clinicrelay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A downstream system receiving forwarded events, as a receiver built on the Standard
 * Webhooks libraries would: it checks every request's signature with its own code (not
 * the relay's), records what came, and answers what the test tells it to.
 */
public final class FakeWebhookReceiver implements AutoCloseable {
    /** A request as it arrived, and whether its signature checked out here. */
    public record Received(String id, String timestamp, String signature, String contentType, String body,
                           boolean signatureValid, int answeredWith) {
    }

    private final HttpServer server;
    private final byte[] key;
    private final List<Received> received = new ArrayList<>();
    private volatile int status = 204;
    private volatile String retryAfter;
    private volatile long delayMillis;

    private FakeWebhookReceiver(HttpServer server, byte[] key) {
        this.server = server;
        this.key = key;
    }

    /** @param whsecSecret the secret as the relay is given it: {@code whsec_<base64>} */
    public static FakeWebhookReceiver start(String whsecSecret) throws IOException {
        HttpServer server = LocalHttpServers.create(4);
        FakeWebhookReceiver receiver = new FakeWebhookReceiver(server,
                Base64.getDecoder().decode(whsecSecret.substring("whsec_".length())));
        server.createContext("/", receiver::handle);
        server.start();
        return receiver;
    }

    /** A URL with a token in its path, as chat and iPaaS webhooks have: it must never show. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/tok-5ecr3t-path");
    }

    /** What every following request is answered with. */
    public void answer(int status) {
        answer(status, null);
    }

    public void answer(int status, String retryAfter) {
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** Every following request takes this long to answer (a slow receiver, so a test can catch it mid-stream). */
    public void slow(java.time.Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    public synchronized List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The requests answered 2xx, in order. */
    public synchronized List<Received> accepted() {
        return received.stream().filter(r -> r.answeredWith() >= 200 && r.answeredWith() < 300).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
        int answer = status;
        synchronized (this) {
            received.add(new Received(id, timestamp, signature, exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(body, StandardCharsets.UTF_8), verifies(id, timestamp, signature, body), answer));
        }
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis); // the answer's latency itself is what is being simulated
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }

    /** The receiver side of the scheme, written from its description: any space-separated v1 entry may match. */
    private boolean verifies(String id, String timestamp, String header, byte[] body) {
        if (id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            for (String entry : header.split(" ")) {
                if (entry.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception unusable) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
