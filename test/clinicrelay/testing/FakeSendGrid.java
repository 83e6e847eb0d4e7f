package clinicrelay.testing;

import clinicrelay.json.Json;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local SendGrid v3 Mail Send: Bearer key, JSON body parsed with our parser, 202 with
 * {@code X-Message-Id}; {@link #failNext} scripts N answers with a status (and Retry-After).
 */
public final class FakeSendGrid implements AutoCloseable {
    public static final String API_KEY = "SG.fake-sendgrid-key-1234567890";

    private final HttpServer server;
    private final List<JsonObject> mails = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus;
    private int ids;

    private FakeSendGrid(HttpServer server) {
        this.server = server;
    }

    public static FakeSendGrid start() throws IOException {
        HttpServer server = LocalHttpServers.create(4);
        FakeSendGrid fake = new FakeSendGrid(server);
        server.createContext("/v3/mail/send", fake::handle);
        server.start();
        return fake;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void failNext(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    public synchronized List<JsonObject> mails() {
        return List.copyOf(mails);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonObject mail;
            try {
                mail = Json.parseObject(exchange.getRequestBody().readAllBytes());
            } catch (JsonException notJson) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(failureStatus, -1);
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
