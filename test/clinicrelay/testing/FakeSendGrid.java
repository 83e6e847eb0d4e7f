package clinicrelay.testing;

import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A local SendGrid v3 Mail Send: Bearer key, JSON body parsed with our parser, 202 with
 * {@code X-Message-Id} and no body; errors with SendGrid's {@code {"errors":[...]}} body.
 * Faults are scripted MockWebServer-style: {@link #failNext} queues one {@link Fault} for
 * each of the next sends.
 */
public final class FakeSendGrid implements AutoCloseable {
    /** Shaped like a real key: SG.<22-character id>.<43-character secret>. */
    public static final String API_KEY = "SG.fakeSendgridKeyId000001.fake-sendgrid-secret-part-0000000000000000000";

    /** What the next send answers instead of 202. */
    public enum Fault {
        /** 503: SendGrid is unavailable; the mail was not taken. */
        SERVICE_UNAVAILABLE(503, "Service Unavailable"),
        /** 429: too many requests; the mail was not taken. */
        TOO_MANY_REQUESTS(429, "too many requests"),
        /** 400: a field SendGrid refuses (a bad address, say): refused for good. */
        BAD_REQUEST(400, "The to email does not contain a valid address.");

        final int status;
        final String message;

        Fault(int status, String message) {
            this.status = status;
            this.message = message;
        }
    }

    private final HttpServer server;
    private final List<JsonObject> mails = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private int ids;
    private volatile boolean keyRevoked;
    private volatile List<String> scopes = List.of("mail.send", "scopes.read", "user.profile.read");

    private FakeSendGrid(HttpServer server) {
        this.server = server;
    }

    public static FakeSendGrid start() throws IOException {
        HttpServer server = LocalHttpServers.create(4);
        FakeSendGrid fake = new FakeSendGrid(server);
        server.createContext("/v3/mail/send", fake::handle);
        server.createContext("/v3/scopes", fake::scopes);
        server.start();
        return fake;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next send answers with {@code fault}. */
    public synchronized void failNext(Fault fault) {
        faults.add(fault);
    }

    /** From now on the key is refused (401), as after someone deleted it in SendGrid's settings. */
    public void revokeKey() {
        keyRevoked = true;
    }

    /** What {@code GET /v3/scopes} lists for the key. */
    public void grantScopes(List<String> granted) {
        scopes = List.copyOf(granted);
    }

    /** SendGrid's 401 body. */
    private boolean refused(HttpExchange exchange) throws IOException {
        if (!keyRevoked && ("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return false;
        }
        byte[] body = "{\"errors\":[{\"field\":null,\"message\":\"authorization required\"}]}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(401, body.length);
        exchange.getResponseBody().write(body);
        return true;
    }

    private void scopes(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (refused(exchange)) {
                return;
            }
            JsonArray list = new JsonArray();
            scopes.forEach(list::add);
            byte[] body = new JsonObject().put("scopes", list).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    public synchronized List<JsonObject> mails() {
        return List.copyOf(mails);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (refused(exchange)) {
                return;
            }
            JsonObject mail;
            try {
                mail = Json.parseObject(exchange.getRequestBody().readAllBytes());
            } catch (JsonException notJson) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Fault fault;
            synchronized (this) {
                fault = faults.poll();
            }
            if (fault != null) {
                byte[] body = new JsonObject().put("errors", new JsonArray().add(new JsonObject()
                        .put("message", fault.message).put("field", null).put("help", null)))
                        .toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(fault.status, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            synchronized (this) {
                mails.add(mail);
                exchange.getResponseHeaders().set("X-Message-Id", "sg-" + (++ids));
            }
            exchange.sendResponseHeaders(202, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
