package clinicrelay.testing;

import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local Twilio that speaks the real Messages API as twilio-java 10 parses it — create:
 * form POST, HTTP Basic, 201 with the message (its {@code date_created} in RFC 2822 with
 * {@code +0000}, as Twilio writes it); list: GET filtered by {@code To}, newest first, in
 * pages ({@code PageSize}, {@code Page}) with {@code uri}, {@code page}, {@code page_size},
 * {@code first_page_uri}, {@code next_page_uri}, {@code previous_page_uri}; errors: Twilio's
 * body whose {@code status} is the HTTP status — and records what it received.
 *
 * <p>Faults are scripted MockWebServer-style: {@link #failNext} queues one {@link Fault}
 * for each of the next creates. A number that opted out ({@link #optOut}) and a slow edge
 * ({@link #slowDown}) are the account's state, not one-shot faults.
 */
public final class FakeTwilio implements AutoCloseable {
    public static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    /** Shaped like a real one: 32 hexadecimal characters. */
    public static final String AUTH_TOKEN = "0123456789abcdef0123456789abcdef";
    /** Twilio's list page size when {@code PageSize} is not given, and its largest. */
    static final int PAGE_SIZE_DEFAULT = 50;
    static final int PAGE_SIZE_MAX = 1000;
    /** RFC 2822 as Twilio writes it: {@code Tue, 01 Dec 2026 10:00:00 +0000}. */
    static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);

    /** What the next create does instead of succeeding. */
    public enum Fault {
        /** 500 with error 20500: Twilio failed; nothing was created. */
        SERVER_ERROR(500, 20500),
        /** 503 with error 20503: Twilio is unavailable (with Retry-After when given); nothing was created. */
        SERVICE_UNAVAILABLE(503, 20503),
        /** 429 with error 20429: too many requests (with Retry-After when given); nothing was created. */
        TOO_MANY_REQUESTS(429, 20429),
        /** The message is created, then the connection is cut before any answer: the sender cannot know. */
        DROP_AFTER_CREATE(0, 0),
        /** The message is created and the answer is 201 with 8 MiB of padding after the message: a broken or hostile peer. */
        OVERSIZED_ANSWER(201, 0);

        final int status;
        final int code;

        Fault(int status, int code) {
            this.status = status;
            this.code = code;
        }
    }

    /** A queued fault and the Retry-After it answers with (null for none). */
    private record Scripted(Fault fault, Duration retryAfter) {
    }

    private final HttpServer server;
    private final List<Map<String, String>> created = new ArrayList<>();
    private final List<JsonObject> stored = new ArrayList<>();
    private final Set<String> optedOut = ConcurrentHashMap.newKeySet();
    private final Deque<Scripted> faults = new ArrayDeque<>();
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private volatile Duration delay = Duration.ZERO;
    private int sids;
    private volatile boolean tokenRotated;
    private volatile String accountStatus = "active";
    private int listPages;

    private FakeTwilio(HttpServer server) {
        this.server = server;
    }

    public static FakeTwilio start() throws IOException {
        HttpServer server = LocalHttpServers.create(8);
        FakeTwilio fake = new FakeTwilio(server);
        server.createContext("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json", fake::handle);
        server.createContext("/2010-04-01/Accounts/" + ACCOUNT_SID + ".json", fake::account);
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

    /** The next create answers with {@code fault}. */
    public void failNext(Fault fault) {
        failNext(fault, null);
    }

    private volatile String nextPageHost = "";

    /** The next create answers with {@code fault} and this Retry-After. */
    public synchronized void failNext(Fault fault, Duration retryAfter) {
        faults.add(new Scripted(fault, retryAfter));
    }

    /** Creates to this number answer 400 with error 21610 (the recipient replied STOP). */
    public void optOut(String phone) {
        optedOut.add(phone);
    }

    /** From now on our token is refused (401, code 20003), as after someone rotated it in the Console. */
    public void rotateToken() {
        tokenRotated = true;
    }

    /** What the account answer says: active, suspended or closed. */
    public void accountStatus(String status) {
        accountStatus = status;
    }

    public void slowDown(Duration perRequest) {
        delay = perRequest;
    }

    /** Stamps created messages with this clock (a test's hand-moved one) instead of the real time. */
    public void useClock(java.time.Clock clock) {
        this.clock = clock;
    }

    /** The form of every create received (dropped ones included), oldest first. */
    public synchronized List<Map<String, String>> created() {
        return List.copyOf(created);
    }

    /** Messages Twilio accepted (and would deliver). */
    public synchronized List<JsonObject> messages() {
        return List.copyOf(stored);
    }

    /** List pages answered so far. */
    public synchronized int listPagesServed() {
        return listPages;
    }

    public synchronized long messagesTo(String phone) {
        return stored.stream().filter(m -> phone.equals(m.string("to"))).count();
    }

    private boolean refused(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
        if (!tokenRotated && expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return false;
        }
        answer(exchange, 401, error(20003, "Authenticate", 401));
        return true;
    }

    /** {@code GET /2010-04-01/Accounts/{Sid}.json}: the account (Twilio's answer carries the auth token too). */
    private void account(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!refused(exchange)) {
                answer(exchange, 200, new JsonObject().put("sid", ACCOUNT_SID).put("owner_account_sid", ACCOUNT_SID)
                        .put("friendly_name", "Test clinic").put("status", accountStatus).put("type", "Full")
                        .put("auth_token", AUTH_TOKEN).put("uri", "/2010-04-01/Accounts/" + ACCOUNT_SID + ".json"));
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            pause();
            if (refused(exchange)) {
                return;
            } else if ("POST".equals(exchange.getRequestMethod())) {
                create(exchange);
            } else {
                list(exchange);
            }
        }
    }

    private void create(HttpExchange exchange) throws IOException {
        Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Scripted scripted;
        synchronized (this) {
            created.add(form);
            scripted = faults.poll();
        }
        if (scripted != null && scripted.fault() == Fault.OVERSIZED_ANSWER) {
            JsonObject message = message(form);
            synchronized (this) {
                stored.add(message);
            }
            answer(exchange, 201, message.put("padding", " ".repeat(8 * 1024 * 1024)));
            return;
        }
        if (scripted != null && scripted.fault() != Fault.DROP_AFTER_CREATE) {
            if (scripted.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(scripted.retryAfter().toSeconds()));
            }
            answer(exchange, scripted.fault().status, error(scripted.fault().code, "scripted " + scripted.fault(),
                    scripted.fault().status));
            return;
        }
        if (optedOut.contains(form.get("To"))) {
            answer(exchange, 400, error(21610, "Attempt to send to unsubscribed recipient", 400));
            return;
        }
        JsonObject message = message(form);
        synchronized (this) {
            stored.add(message);
        }
        if (scripted != null) {
            throw new IllegalStateException("scripted: connection dropped after the message was created");
        }
        answer(exchange, 201, message);
    }

    private synchronized JsonObject message(Map<String, String> form) {
        String sid = String.format(Locale.ROOT, "SM%032d", ++sids);
        String now = RFC_2822.format(clock.instant().atOffset(ZoneOffset.UTC));
        return new JsonObject()
                .put("sid", sid)
                .put("account_sid", ACCOUNT_SID)
                .put("api_version", "2010-04-01")
                .put("direction", "outbound-api")
                .put("to", form.get("To"))
                .put("from", form.getOrDefault("From", null))
                .put("messaging_service_sid", form.getOrDefault("MessagingServiceSid", null))
                .put("body", form.get("Body"))
                .put("status", "queued")
                .put("num_segments", "1")
                .put("num_media", "0")
                .put("error_code", null)
                .put("error_message", null)
                .put("price", null)
                .put("price_unit", "USD")
                .put("date_created", now)
                .put("date_updated", now)
                .put("date_sent", null)
                .put("uri", MESSAGES_PATH.replace(".json", "/" + sid + ".json"));
    }

    private static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";

    /** One page of the messages to {@code To}, newest first, with Twilio's paging fields. */
    private void list(HttpExchange exchange) throws IOException {
        Map<String, String> query = parseForm(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
        String to = query.getOrDefault("To", "");
        int pageSize = Math.min(PAGE_SIZE_MAX, Integer.parseInt(query.getOrDefault("PageSize", "" + PAGE_SIZE_DEFAULT)));
        int page = Integer.parseInt(query.getOrDefault("Page", "0"));
        List<JsonObject> matching = new ArrayList<>();
        synchronized (this) {
            listPages++;
            for (int i = stored.size() - 1; i >= 0; i--) {
                if (to.equals(stored.get(i).string("to"))) {
                    matching.add(stored.get(i));
                }
            }
        }
        int from = Math.min(matching.size(), page * pageSize);
        int until = Math.min(matching.size(), from + pageSize);
        JsonArray messages = new JsonArray();
        matching.subList(from, until).forEach(messages::add);
        answer(exchange, 200, new JsonObject()
                .put("messages", messages)
                .put("uri", pageUri(to, pageSize, page))
                .put("page", (long) page)
                .put("page_size", (long) pageSize)
                .put("start", (long) from)
                .put("end", (long) Math.max(from, until - 1))
                .put("first_page_uri", pageUri(to, pageSize, 0))
                .put("next_page_uri", until < matching.size() ? nextPageHost + pageUri(to, pageSize, page + 1) : null)
                .put("previous_page_uri", page > 0 ? pageUri(to, pageSize, page - 1) : null));
    }

    /**
     * Makes next_page_uri absolute, on {@code host} (e.g. {@code http://127.0.0.1:PORT}): a
     * hostile or broken answer the client must not follow with its credentials.
     */
    public void nextPageOn(String host) {
        nextPageHost = host;
    }

    private static String pageUri(String to, int pageSize, int page) {
        return MESSAGES_PATH + "?To=" + URLEncoder.encode(to, StandardCharsets.UTF_8) + "&PageSize=" + pageSize
                + "&Page=" + page + (page > 0 ? "&PageToken=PA" + page : "");
    }

    private void pause() {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Twilio's error body: its {@code status} is the HTTP status it comes with. */
    private static JsonObject error(int code, String message, int status) {
        return new JsonObject().put("code", (long) code).put("message", message)
                .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", (long) status);
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
