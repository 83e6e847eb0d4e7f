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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Salesforce org speaking the REST API as the CRM sync uses it: the
 * client-credentials token on its My Domain ({@code instance_url} is itself),
 * {@code GET /services/data/} (the versions offered), SOQL {@code query} (the Contact and
 * Task lookups the sync makes), {@code sobjects} create and PATCH, errors as JSON arrays
 * {@code [{"message","errorCode","fields"}]}. It records every call and holds the records.
 *
 * <p>Faults are scripted: {@link #failNext} queues one {@link Fault} for each of the next
 * API calls (token requests excepted).
 */
public final class FakeSalesforce implements AutoCloseable {
    public static final String CLIENT_ID = "3MVG9fake.salesforce.client.id";
    public static final String CLIENT_SECRET = "fake-salesforce-client-secret-0123456789";
    /** The versions the org offers, oldest first. */
    static final List<String> VERSIONS = List.of("60.0", "61.0", "62.0", "63.0", "64.0");

    /** What the next API call answers instead. */
    public enum Fault {
        /** 401 INVALID_SESSION_ID: the token expired; a new one works. */
        SESSION_EXPIRED(401, "INVALID_SESSION_ID"),
        /** 503 (with Retry-After when given). */
        UNAVAILABLE(503, null),
        /** 400 INVALID_FIELD: the org refuses a field (a custom validation, a missing permission). */
        INVALID_FIELD(400, "INVALID_FIELD"),
        /** 403 REQUEST_LIMIT_EXCEEDED: the org's daily API limit. */
        LIMIT(403, "REQUEST_LIMIT_EXCEEDED"),
        /** 410: the API version was retired. */
        GONE(410, "NOT_FOUND"),
        /** A create is done, then the connection is cut before the answer. */
        LOSE_ANSWER_AFTER_CREATE(0, null);

        final int status;
        final String errorCode;

        Fault(int status, String errorCode) {
            this.status = status;
            this.errorCode = errorCode;
        }
    }

    /** A call as received: method, path (with its decoded query) and body. */
    public record Call(String method, String path, String body) {
    }

    private record Scripted(Fault fault, Duration retryAfter) {
    }

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Scripted> faults = new ArrayDeque<>();
    private final Map<String, JsonObject> contacts = new LinkedHashMap<>();
    private final Map<String, JsonObject> tasks = new LinkedHashMap<>();
    private final List<String> tokens = new ArrayList<>();
    private int tokensIssued;
    private int ids;
    private volatile String instanceUrl;
    private volatile String loseCreateOf;
    private volatile Duration createDelay = Duration.ZERO;

    private FakeSalesforce(HttpServer server) {
        this.server = server;
    }

    public static FakeSalesforce start() throws IOException {
        HttpServer server = LocalHttpServers.create(4);
        FakeSalesforce fake = new FakeSalesforce(server);
        server.createContext("/services/oauth2/token", fake::token);
        server.createContext("/services/data/", fake::api);
        server.start();
        return fake;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The environment a relay needs to sync to this org. */
    public Map<String, String> env() {
        return Map.of("SALESFORCE_LOGIN_URL", base().toString(), "SALESFORCE_CLIENT_ID", CLIENT_ID,
                "SALESFORCE_CLIENT_SECRET", CLIENT_SECRET);
    }

    /** Every create is done at once but answered this much later: a client killed meanwhile never hears of it. */
    public void slowCreates(Duration delay) {
        createDelay = delay;
    }

    /** The next create of {@code sobject} (Contact, Task) is done, then the connection is cut before its answer. */
    public void loseAnswerOfNextCreate(String sobject) {
        loseCreateOf = sobject;
    }

    /** Token answers name this instance_url instead of the fake itself (a hostile or broken answer). */
    public void answerInstanceUrl(String url) {
        instanceUrl = url;
    }

    public synchronized void failNext(Fault fault, Duration retryAfter) {
        faults.add(new Scripted(fault, retryAfter));
    }

    public void failNext(Fault fault) {
        failNext(fault, null);
    }

    /** A Contact made by someone else (a front desk, an import), created at {@code createdDate}. */
    public synchronized String addContact(String email, String mobilePhone, String createdDate) {
        String id = nextId("003");
        contacts.put(id, new JsonObject().put("Id", id).put("Email", email).put("MobilePhone", mobilePhone)
                .put("LastName", "Existing").put("CreatedDate", createdDate));
        return id;
    }

    public synchronized Map<String, JsonObject> contacts() {
        return Map.copyOf(contacts);
    }

    public synchronized Map<String, JsonObject> tasks() {
        return Map.copyOf(tasks);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Token requests answered. */
    public synchronized int tokensIssued() {
        return tokensIssued;
    }

    private synchronized String nextId(String prefix) {
        return String.format(Locale.ROOT, "%s%015d", prefix, ++ids);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = FakeTwilio.parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"client_credentials".equals(form.get("grant_type")) || !CLIENT_ID.equals(form.get("client_id"))
                    || !CLIENT_SECRET.equals(form.get("client_secret"))) {
                answer(exchange, 400, new JsonObject().put("error", "invalid_client")
                        .put("error_description", "invalid client credentials").toString());
                return;
            }
            String token;
            synchronized (this) {
                token = "00Dfake!token-" + (++tokensIssued);
                tokens.add(token);
            }
            answer(exchange, 200, new JsonObject().put("access_token", token).put("instance_url", instanceUrl != null ? instanceUrl : base().toString())
                    .put("id", base() + "/id/00Dfake/005fake").put("token_type", "Bearer").put("issued_at", "1764500000000")
                    .put("signature", "fake").toString());
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Scripted scripted;
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            synchronized (this) {
                calls.add(new Call(exchange.getRequestMethod(), path + (query == null ? "" : "?"
                        + URLDecoder.decode(query, StandardCharsets.UTF_8)), body));
                if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                    scripted = new Scripted(Fault.SESSION_EXPIRED, null);
                } else {
                    scripted = faults.poll();
                }
            }
            if (scripted != null && scripted.fault() == Fault.SESSION_EXPIRED) {
                synchronized (this) {
                    if (auth != null && auth.length() > 7) {
                        tokens.remove(auth.substring(7)); // that session is over
                    }
                }
            }
            if (scripted != null && scripted.fault() != Fault.LOSE_ANSWER_AFTER_CREATE) {
                if (scripted.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(scripted.retryAfter().toSeconds()));
                }
                answer(exchange, scripted.fault().status, errors(scripted.fault().errorCode, "scripted " + scripted.fault()));
                return;
            }
            if (path.equals("/services/data/")) {
                JsonArray versions = new JsonArray();
                VERSIONS.forEach(v -> versions.add(new JsonObject().put("label", "v" + v).put("url", "/services/data/v" + v)
                        .put("version", v)));
                answer(exchange, 200, versions.toString());
                return;
            }
            Matcher api = Pattern.compile("/services/data/v(\\d+\\.0)(/.*)").matcher(path);
            if (!api.matches()) {
                answer(exchange, 404, errors("NOT_FOUND", "The requested resource does not exist"));
                return;
            }
            if (!VERSIONS.contains(api.group(1))) {
                answer(exchange, 410, errors("NOT_FOUND", "The requested resource does not exist"));
                return;
            }
            route(exchange, exchange.getRequestMethod(), api.group(2), query, body, scripted != null);
        }
    }

    private void route(HttpExchange exchange, String method, String path, String rawQuery, String body, boolean loseAnswer)
            throws IOException {
        if (method.equals("GET") && path.equals("/query")) {
            String soql = URLDecoder.decode(rawQuery.substring(rawQuery.indexOf("q=") + 2), StandardCharsets.UTF_8);
            JsonArray records = query(soql);
            answer(exchange, 200, new JsonObject().put("totalSize", (long) records.size()).put("done", true)
                    .put("records", records).toString());
            return;
        }
        Matcher sobject = Pattern.compile("/sobjects/(Contact|Task)(?:/([A-Za-z0-9]+))?").matcher(path);
        if (!sobject.matches()) {
            answer(exchange, 404, errors("NOT_FOUND", "The requested resource does not exist"));
            return;
        }
        JsonObject fields;
        try {
            fields = Json.parseObject(body.getBytes(StandardCharsets.UTF_8));
        } catch (JsonException notJson) {
            answer(exchange, 400, errors("JSON_PARSER_ERROR", "bad json"));
            return;
        }
        boolean contact = sobject.group(1).equals("Contact");
        if (method.equals("POST") && sobject.group(2) == null) {
            if (contact && fields.string("LastName") == null) {
                answer(exchange, 400, "[{\"message\":\"Required fields are missing: [LastName]\",\"errorCode\":"
                        + "\"REQUIRED_FIELD_MISSING\",\"fields\":[\"LastName\"]}]");
                return;
            }
            String id = nextId(contact ? "003" : "00T");
            synchronized (this) {
                JsonObject record = new JsonObject().put("Id", id).put("CreatedDate", "2026-11-30T00:00:" + String.format(Locale.ROOT,
                        "%02dZ", ids % 60));
                fields.members().forEach(record::put);
                (contact ? contacts : tasks).put(id, record);
            }
            if (!createDelay.isZero()) {
                try {
                    Thread.sleep(createDelay.toMillis());
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                }
            }
            if (loseAnswer || sobject.group(1).equals(loseCreateOf)) {
                loseCreateOf = null;
                throw new IllegalStateException("scripted: connection cut after the create");
            }
            answer(exchange, 201, new JsonObject().put("id", id).put("success", true).put("errors", new JsonArray()).toString());
            return;
        }
        if (method.equals("PATCH") && sobject.group(2) != null) {
            synchronized (this) {
                JsonObject record = (contact ? contacts : tasks).get(sobject.group(2));
                if (record == null) {
                    answer(exchange, 404, errors("NOT_FOUND", "The requested resource does not exist"));
                    return;
                }
                fields.members().forEach(record::put);
            }
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        answer(exchange, 405, errors("METHOD_NOT_ALLOWED", "not allowed"));
    }

    /** The queries the sync makes, and nothing more: Contact by Email or MobilePhone, Task by WhoId and Subject marker. */
    private synchronized JsonArray query(String soql) {
        JsonArray found = new JsonArray();
        Matcher byEmail = Pattern.compile("FROM Contact WHERE Email = '((?:[^'\\\\]|\\\\.)*)'").matcher(soql);
        Matcher byPhone = Pattern.compile("FROM Contact WHERE MobilePhone IN \\((.*)\\)").matcher(soql);
        Matcher task = Pattern.compile("FROM Task WHERE Subject LIKE '%((?:[^'\\\\]|\\\\.)*)'").matcher(soql);
        List<JsonObject> matches = new ArrayList<>();
        if (byEmail.find()) {
            String email = unescape(byEmail.group(1));
            contacts.values().stream().filter(c -> email.equalsIgnoreCase(c.string("Email"))).forEach(matches::add);
        } else if (byPhone.find()) {
            List<String> phones = new ArrayList<>();
            Matcher literal = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'").matcher(byPhone.group(1));
            while (literal.find()) {
                phones.add(unescape(literal.group(1)));
            }
            contacts.values().stream().filter(c -> phones.contains(c.string("MobilePhone"))).forEach(matches::add);
        } else if (task.find()) {
            String suffix = unescape(task.group(1)).replace("\\%", "%").replace("\\_", "_");
            tasks.values().stream().filter(t -> t.string("Subject") != null && t.string("Subject").endsWith(suffix))
                    .forEach(matches::add);
        }
        matches.sort((a, b) -> a.string("CreatedDate").compareTo(b.string("CreatedDate")));
        matches.stream().limit(2).forEach(record -> found.add(new JsonObject()
                .put("attributes", new JsonObject().put("type", record.string("Id").startsWith("003") ? "Contact" : "Task"))
                .put("Id", record.string("Id")).put("CreatedDate", record.string("CreatedDate"))));
        return found;
    }

    private static String unescape(String literal) {
        return literal.replace("\\'", "'").replace("\\\\", "\\");
    }

    private static String errors(String code, String message) {
        return new JsonArray().add(new JsonObject().put("message", message).put("errorCode", code)
                .put("fields", new JsonArray())).toString();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
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
