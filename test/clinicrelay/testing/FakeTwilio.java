package clinicrelay.testing;

import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Twilio that speaks the real Messages API (create: form POST, HTTP Basic, 201 JSON
 * with a sid; list: GET with To and DateSent&gt;= filters) and records what it received.
 * Faults are scripted by name, MockWebServer-style:
 * <ul>
 *   <li>{@link #failNext} — the next N creates answer a status (503, 429 with Retry-After);</li>
 *   <li>{@link #optOut} — creates to this number answer 400 with code 21610;</li>
 *   <li>{@link #slowDown} — every answer waits this long first;</li>
 *   <li>{@link #dropNext} — the next N creates are received, then the connection is cut without an answer.</li>
 * </ul>
 */
public final class FakeTwilio implements AutoCloseable {
    public static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    public static final String AUTH_TOKEN = "fake-twilio-auth-token-123456";

    private final HttpServer server;
    private final List<Map<String, String>> created = new ArrayList<>();
    private final List<JsonObject> stored = new ArrayList<>();
    private final Set<String> optedOut = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private volatile int failureStatus;
    private volatile String retryAfter;
    private volatile Duration delay = Duration.ZERO;
    private int sids;

    private FakeTwilio(HttpServer server) {
        this.server = server;
    }

    public static FakeTwilio start() throws IOException {
        HttpServer server = LocalHttpServers.create(8);
        FakeTwilio fake = new FakeTwilio(server);
        server.createContext("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json", fake::handle);
        server.start();
        return fake;
    }

    /** The environment a relay needs to text through this fake. */
    public Map<String, String> env() {
        return Map.of("TWILIO_ACCOUNT_SID", ACCOUNT_SID, "TWILIO_AUTH_TOKEN", AUTH_TOKEN, "TWILIO_PHONE_NUMBER", "+15005550006",
                "TWILIO_API_BASE", base().toString());
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void failNext(int count, int status, String retryAfterSeconds) {
        failureStatus = status;
        retryAfter = retryAfterSeconds;
        failuresLeft.set(count);
    }

    public void optOut(String phone) {
        optedOut.add(phone);
    }

    public void slowDown(Duration perRequest) {
        delay = perRequest;
    }

    /** Stamps created messages with this clock (a test's hand-moved one) instead of the real time. */
    public void useClock(java.time.Clock clock) {
        this.clock = clock;
    }

    public void dropNext(int count) {
        dropsLeft.set(count);
    }

    /** The form of every create received (dropped ones included), oldest first. */
    public synchronized List<Map<String, String>> created() {
        return List.copyOf(created);
    }

    /** Messages Twilio accepted (and would deliver). */
    public synchronized List<JsonObject> messages() {
        return List.copyOf(stored);
    }

    public synchronized long messagesTo(String phone) {
        return stored.stream().filter(m -> phone.equals(m.string("to"))).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            pause();
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, error(20003, "Authenticate"));
            } else if ("POST".equals(exchange.getRequestMethod())) {
                create(exchange);
            } else {
                list(exchange);
            }
        }
    }

    private void create(HttpExchange exchange) throws IOException {
        Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        synchronized (this) {
            created.add(form);
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
            }
            answer(exchange, failureStatus, error(failureStatus == 429 ? 20429 : 20500, "scripted failure"));
            return;
        }
        if (optedOut.contains(form.get("To"))) {
            answer(exchange, 400, error(21610, "Attempt to send to unsubscribed recipient"));
            return;
        }
        JsonObject message = message(form);
        synchronized (this) {
            stored.add(message);
        }
        if (dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("scripted: connection dropped after the message was created");
        }
        answer(exchange, 201, message);
    }

    private synchronized JsonObject message(Map<String, String> form) {
        return new JsonObject()
                .put("sid", String.format(java.util.Locale.ROOT, "SM%032d", ++sids))
                .put("account_sid", ACCOUNT_SID)
                .put("to", form.get("To"))
                .put("from", form.getOrDefault("From", null))
                .put("messaging_service_sid", form.getOrDefault("MessagingServiceSid", null))
                .put("body", form.get("Body"))
                .put("status", "queued")
                .put("num_segments", "1")
                .put("error_code", null)
                .put("error_message", null)
                .put("date_created", DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC)));
    }

    private void list(HttpExchange exchange) throws IOException {
        Map<String, String> query = parseForm(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
        JsonArray messages = new JsonArray();
        synchronized (this) {
            for (int i = stored.size() - 1; i >= 0; i--) {
                if (stored.get(i).string("to").equals(query.get("To"))) {
                    messages.add(stored.get(i));
                }
            }
        }
        answer(exchange, 200, new JsonObject().put("messages", messages).put("next_page_uri", null).put("page_size", 50L));
    }

    private void pause() {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonObject error(int code, String message) {
        return new JsonObject().put("code", (long) code).put("message", message)
                .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", 400L);
    }

    private static void answer(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> parseForm(String encoded) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
