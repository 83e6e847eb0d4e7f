package clinicrelay.testing;

import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Zocdoc partner API speaking the formats of docs/providers.md "Zocdoc": the client-credentials
 * token endpoint, {@code GET /v1/appointments/{id}}, its {@code /participants}, the list with
 * {@code last_modified_time_utc_min}, sorting and {@code next_url} pages, provider locations
 * and the sandbox's mock webhook. Faults are scripted MockWebServer-style:
 * {@link #failNext} queues one {@link Fault} for each of the next API calls (token
 * requests excepted); {@link #revokeTokens} makes every issued token stop working.
 */
public final class FakeZocdoc implements AutoCloseable {
    public static final String CLIENT_ID = "fake-zocdoc-client";
    public static final String CLIENT_SECRET = "fake-zocdoc-client-secret-123456";
    private static final DateTimeFormatter LIST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    /** What the next API call answers instead of its result. */
    public enum Fault {
        /** 503: the API is unavailable (with Retry-After when given). */
        SERVICE_UNAVAILABLE(503),
        /** 429: too many requests (with Retry-After when given). */
        TOO_MANY_REQUESTS(429),
        /** 400: the API refuses the request for good. */
        BAD_REQUEST(400);

        final int status;

        Fault(int status) {
            this.status = status;
        }
    }

    /** A queued fault and the Retry-After it answers with (null for none). */
    private record Scripted(Fault fault, Duration retryAfter) {
    }

    private final HttpServer server;
    private final Map<String, JsonObject> appointments = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> participants = new ConcurrentHashMap<>();
    private final Map<String, String> providerNames = new ConcurrentHashMap<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new ArrayList<>();
    private final List<JsonObject> mockRequests = new ArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final Deque<Scripted> faults = new ArrayDeque<>();
    private volatile int pageSizeCap = 100;

    private FakeZocdoc(HttpServer server) {
        this.server = server;
    }

    public static FakeZocdoc start() throws IOException {
        HttpServer server = LocalHttpServers.create(4);
        FakeZocdoc fake = new FakeZocdoc(server);
        server.createContext("/oauth/token", fake::token);
        server.createContext("/v1/", fake::api);
        server.start();
        return fake;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI tokenUrl() {
        return base().resolve("/oauth/token");
    }

    /** The environment a relay needs to use this fake. */
    public Map<String, String> env() {
        return Map.of("ZOCDOC_CLIENT_ID", CLIENT_ID, "ZOCDOC_CLIENT_SECRET", CLIENT_SECRET, "ZOCDOC_ENV", "sandbox",
                "ZOCDOC_API_BASE", base().toString(), "ZOCDOC_AUTH_URL", tokenUrl().toString());
    }

    /**
     * Puts (or replaces) an appointment: its status, start, when it was created and last
     * modified, and a patient with a 10-digit phone, as Zocdoc's API shows them.
     */
    private volatile long tokenLifetimeSeconds = 86_400;

    public void putAppointment(String id, String status, String startTime, Instant created, Instant lastModified,
                               String providerId, String firstName, String lastName, String phoneDigits, String email) {
        appointments.put(id, new JsonObject()
                .put("appointment_id", id)
                .put("appointment_status", status)
                .put("start_time", startTime)
                .put("created_time_utc", created.toString())
                .put("last_modified_time_utc", lastModified.toString())
                .put("provider_location_id", providerId + "|lo_1")
                .put("practice_id", "pt_1")
                .put("visit_reason_id", "pc_private-reason")
                .put("visit_type", "in_person")
                .put("patient_type", "new")
                .put("notes", "patient note: private")
                .put("location_phone_number", "6175550100")
                .put("confirmation_type", "auto")
                .put("is_provider_resource", false));
        participants.put(id, new JsonObject()
                .put("provider_id", providerId)
                .put("location_id", "lo_1")
                .put("patient", new JsonObject()
                        .put("first_name", firstName).put("last_name", lastName)
                        .put("date_of_birth", "1971-03-14").put("sex_at_birth", "female")
                        .put("phone_number", phoneDigits).put("email_address", email)
                        .put("uploaded_attachments", new JsonArray()).put("is_booked_by_another_patient", false)));
    }

    /** Changes an appointment's status (and start, when not null), as of {@code modified}. */
    public void change(String id, String status, String startTime, Instant modified) {
        JsonObject appointment = appointments.get(id);
        appointment.put("appointment_status", status).put("last_modified_time_utc", modified.toString());
        if (startTime != null) {
            appointment.put("start_time", startTime);
        }
    }

    public void nameProvider(String providerId, String fullName) {
        providerNames.put(providerId, fullName);
    }

    /** The next API call (not a token request) answers with {@code fault}. */
    public void failNext(Fault fault) {
        failNext(fault, null);
    }

    /** The next API call answers with {@code fault} and this Retry-After. */
    public synchronized void failNext(Fault fault, Duration retryAfter) {
        faults.add(new Scripted(fault, retryAfter));
    }

    /** Every token issued so far stops working: the next call gets a 401. */
    /** The expires_in the next tokens are issued with (Zocdoc's is a day). */
    public void tokenLifetimeSeconds(long seconds) {
        tokenLifetimeSeconds = seconds;
    }

    public void revokeTokens() {
        validTokens.clear();
    }

    /** Smaller pages, to exercise next_url. */
    public void pageSize(int cap) {
        pageSizeCap = cap;
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Method and path (with query) of every API call, oldest first. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<JsonObject> mockRequests() {
        return List.copyOf(mockRequests);
    }

    private void token(HttpExchange exchange) throws IOException {
        JsonObject body;
        try {
            body = Json.parseObject(exchange.getRequestBody().readAllBytes());
        } catch (JsonException notJson) {
            answer(exchange, 400, new JsonObject().put("error", "invalid_request"));
            return;
        }
        if (!"client_credentials".equals(body.string("grant_type")) || !CLIENT_ID.equals(body.string("client_id"))
                || !CLIENT_SECRET.equals(body.string("client_secret")) || body.string("audience") == null) {
            answer(exchange, 401, new JsonObject().put("error", "access_denied"));
            return;
        }
        String token = "zd-token-" + tokensIssued.incrementAndGet();
        validTokens.add(token);
        answer(exchange, 200, new JsonObject().put("access_token", token).put("expires_in", tokenLifetimeSeconds).put("token_type", "Bearer"));
    }

    private void api(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        synchronized (this) {
            requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        Scripted scripted;
        synchronized (this) {
            scripted = faults.poll();
        }
        if (scripted != null) {
            if (scripted.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(scripted.retryAfter().toSeconds()));
            }
            answer(exchange, scripted.fault().status, error("scripted " + scripted.fault()));
            return;
        }
        String[] parts = path.split("/");
        if ("POST".equals(exchange.getRequestMethod()) && path.equals("/v1/webhook/mock-request")) {
            try {
                synchronized (this) {
                    mockRequests.add(Json.parseObject(exchange.getRequestBody().readAllBytes()));
                }
            } catch (JsonException notJson) {
                answer(exchange, 400, error("body is not JSON"));
                return;
            }
            answer(exchange, 200, new JsonObject().put("request_id", "req"));
        } else if (path.equals("/v1/appointments")) {
            list(exchange, parseQuery(query));
        } else if (parts.length == 4 && parts[2].equals("appointments")) {
            found(exchange, appointments.get(decode(parts[3])));
        } else if (parts.length == 5 && parts[2].equals("appointments") && parts[4].equals("participants")) {
            found(exchange, participants.get(decode(parts[3])));
        } else if (parts.length == 4 && parts[2].equals("provider_locations")) {
            String providerId = decode(parts[3]).split("\\|")[0];
            String name = providerNames.get(providerId);
            found(exchange, name == null ? null : new JsonObject().put("provider_location_id", decode(parts[3]))
                    .put("provider", new JsonObject().put("provider_id", providerId).put("full_name", name)));
        } else {
            answer(exchange, 404, error("no such route"));
        }
    }

    private void found(HttpExchange exchange, JsonObject data) throws IOException {
        if (data == null) {
            answer(exchange, 404, error("not found"));
        } else {
            answer(exchange, 200, new JsonObject().put("request_id", "req").put("data", data));
        }
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        Instant min = LocalDateTime.parse(query.get("last_modified_time_utc_min"), LIST_TIME).toInstant(ZoneOffset.UTC);
        int page = Integer.parseInt(query.getOrDefault("page", "0"));
        int size = Math.min(pageSizeCap, Integer.parseInt(query.getOrDefault("page_size", "10")));
        List<JsonObject> matching = new ArrayList<>();
        for (JsonObject appointment : appointments.values()) {
            if (!Instant.parse(appointment.string("last_modified_time_utc")).isBefore(min)) {
                matching.add(appointment);
            }
        }
        matching.sort((a, b) -> a.string("last_modified_time_utc").compareTo(b.string("last_modified_time_utc")));
        JsonArray data = new JsonArray();
        for (int i = page * size; i < Math.min(matching.size(), (page + 1) * size); i++) {
            data.add(matching.get(i));
        }
        boolean more = (page + 1) * size < matching.size();
        String next = more ? "/v1/appointments?" + exchange.getRequestURI().getRawQuery().replace("page=" + page, "page=" + (page + 1))
                .replace("page_size=" + query.get("page_size"), "page_size=" + size) : null;
        answer(exchange, 200, new JsonObject().put("request_id", "req").put("page", (long) page).put("page_size", (long) size)
                .put("total_count", (long) matching.size()).put("next_url", next).put("data", data));
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static JsonObject error(String message) {
        JsonArray errors = new JsonArray();
        errors.add(new JsonObject().put("field", null).put("message", message));
        return new JsonObject().put("request_id", "req").put("error_type", "invalid_request").put("errors", errors);
    }

    private static void answer(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
