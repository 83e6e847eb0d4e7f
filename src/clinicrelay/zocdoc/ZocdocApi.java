package clinicrelay.zocdoc;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.config.ZocdocEnvironment;
import clinicrelay.http.BoundedBody;
import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Zocdoc's partner API as docs/providers.md "Zocdoc" describes it: an appointment, its
 * participants, appointments modified since a time (paged), a provider location (for the
 * provider's name), and the sandbox's mock webhook. Every call carries a cached
 * client-credentials token; a 401 renews it once. Answers are our own JSON parser's objects.
 */
public final class ZocdocApi {
    /** Appointments per page of the list: the API's maximum. */
    static final int LIST_PAGE_SIZE = 100;
    /** Largest answer read: a page of LIST_PAGE_SIZE appointments is well under a megabyte. */
    static final int ANSWER_BYTES_MAX = 4 * 1024 * 1024;
    /** The list API serves pages 0 to 10 and at most 1 000 appointments in all. */
    static final int LIST_PAGES_MAX = 10;
    /** The list API's time format, e.g. {@code 2024-01-01 00:00:00+00:00}. */
    private static final DateTimeFormatter LIST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    private final HttpClient http;
    private final URI apiBase;
    private final ZocdocToken token;
    private final java.util.function.BiConsumer<String, String> calls;

    public ZocdocApi(HttpClient http, ZocdocEnvironment environment, String clientId, String clientSecret, Clock clock) {
        this(http, environment, clientId, clientSecret, clock, (call, outcome) -> { });
    }

    /** @param calls told of every call's name and outcome (ok, http_4xx, http_5xx, network), for metrics */
    public ZocdocApi(HttpClient http, ZocdocEnvironment environment, String clientId, String clientSecret, Clock clock,
                     java.util.function.BiConsumer<String, String> calls) {
        this.calls = calls;
        this.http = http;
        this.apiBase = environment.apiBase();
        this.token = new ZocdocToken(http, environment, clientId, clientSecret, clock);
    }

    /** One page of appointments modified since a time, oldest change first; {@code more} when another page follows. */
    public record Page(List<JsonObject> appointments, boolean more) {
    }

    /** Obtains a token (for check-config): throws when it cannot. */
    public void checkCredentials() throws ZocdocApiException, InterruptedException {
        token.current();
    }

    /** {@code GET /v1/appointments/{id}}: the appointment's {@code data}. */
    public JsonObject appointment(String appointmentId) throws ZocdocApiException, InterruptedException {
        return data(get(uri("/v1/appointments/" + checkedId(appointmentId)), "appointment"), "appointment");
    }

    /** {@code GET /v1/appointments/{id}/participants}: the participants' {@code data} (patient, provider and location ids). */
    public JsonObject participants(String appointmentId) throws ZocdocApiException, InterruptedException {
        return data(get(uri("/v1/appointments/" + checkedId(appointmentId) + "/participants"), "participants"), "participants");
    }

    /** {@code GET /v1/provider_locations/{id}}: who the provider is and where (names for messages). */
    public JsonObject providerLocation(String providerLocationId) throws ZocdocApiException, InterruptedException {
        return data(get(uri("/v1/provider_locations/" + checkedId(providerLocationId)), "provider location"), "provider location");
    }

    /**
     * Page {@code page} (0 to {@link #LIST_PAGES_MAX}) of the appointments whose
     * {@code last_modified_time_utc} is at or after {@code since}, sorted by that time,
     * oldest first. The sweep moves {@code since} forward rather than following
     * {@code next_url}: page numbers over a sort key that changes while one pages would
     * skip an appointment modified meanwhile.
     */
    public Page modifiedSince(Instant since, int page) throws ZocdocApiException, InterruptedException {
        return page(uri("/v1/appointments?last_modified_time_utc_min=" + encode(LIST_TIME.format(since.atOffset(ZoneOffset.UTC)))
                + "&sort_by=last_modified_time_utc&sort_direction=ascending&page=" + page + "&page_size=" + LIST_PAGE_SIZE));
    }

    /** Sandbox only: asks Zocdoc to deliver a signed mock webhook to {@code webhookUrl}. */
    public void mockWebhook(String webhookUrl, String webhookKey, String updateType) throws ZocdocApiException, InterruptedException {
        String body = new JsonBuilder().beginObject()
                .member("webhook_url", webhookUrl)
                .member("webhook_key", webhookKey)
                .member("appointment_update_type", updateType)
                .endObject().toText();
        send(uri("/v1/webhook/mock-request"), "mock request", HttpRequest.BodyPublishers.ofString(body));
    }

    private Page page(URI uri) throws ZocdocApiException, InterruptedException {
        JsonObject answer = get(uri, "list");
        JsonArray items = answer.array("data");
        List<JsonObject> appointments = new ArrayList<>();
        if (items != null) {
            for (Object item : items.values()) {
                if (item instanceof JsonObject appointment) {
                    appointments.add(appointment);
                }
            }
        }
        String next = answer.string("next_url");
        return new Page(appointments, next != null && !next.isBlank() || appointments.size() >= LIST_PAGE_SIZE);
    }

    private JsonObject get(URI uri, String call) throws ZocdocApiException, InterruptedException {
        return send(uri, call, null);
    }

    /** One call (GET, or POST with {@code body}), renewing the token once on a 401. */
    private JsonObject send(URI uri, String call, HttpRequest.BodyPublisher body) throws ZocdocApiException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            String bearer = token.current();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(HttpAnswers.REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
            if (body != null) {
                request.header("Content-Type", "application/json").POST(body);
            } else {
                request.GET();
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), BoundedBody.upTo(ANSWER_BYTES_MAX));
            } catch (IOException networkError) {
                calls.accept(call, "network");
                throw new ZocdocApiException(ZocdocApiException.Kind.RETRY,
                        "zocdoc " + call + " network " + networkError.getClass().getSimpleName(), null);
            }
            int status = response.statusCode();
            calls.accept(call, HttpAnswers.isSuccess(status) ? "ok" : "http_" + status);
            if (status == 401 && attempt == 0) {
                token.refused(bearer);
                continue;
            }
            if (HttpAnswers.isSuccess(status)) {
                return parse(response.body(), call);
            }
            String reason = "zocdoc " + call + " http " + status;
            if (status == 404) {
                throw new ZocdocApiException(ZocdocApiException.Kind.NOT_FOUND, reason, null);
            }
            if (HttpAnswers.isRetryable(status) || status == 401) {
                throw new ZocdocApiException(ZocdocApiException.Kind.RETRY, reason, HttpAnswers.retryAfter(response));
            }
            throw new ZocdocApiException(ZocdocApiException.Kind.PERMANENT, reason, null);
        }
    }

    private static JsonObject parse(byte[] body, String call) throws ZocdocApiException {
        if (body.length == 0) {
            return new JsonObject();
        }
        try {
            return Json.parseObject(body);
        } catch (JsonException unreadable) {
            throw new ZocdocApiException(ZocdocApiException.Kind.RETRY, "zocdoc " + call + " answer is not JSON", null);
        }
    }

    private static JsonObject data(JsonObject answer, String call) throws ZocdocApiException {
        JsonObject data = answer.object("data");
        if (data == null) {
            throw new ZocdocApiException(ZocdocApiException.Kind.RETRY, "zocdoc " + call + " answer without data", null);
        }
        return data;
    }

    /** Zocdoc's ids: letters, digits and {@code _ - . : |}, never a bare dot path. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.:|-]{1,200}");

    private static String checkedId(String id) throws ZocdocApiException {
        if (id == null || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new ZocdocApiException(ZocdocApiException.Kind.PERMANENT, "zocdoc id unusable in a request path", null);
        }
        return encodePath(id);
    }

    private URI uri(String pathAndQuery) {
        return apiBase.resolve(pathAndQuery);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A path segment: ids are opaque (a provider location id holds a "|"). */
    private static String encodePath(String segment) {
        return encode(segment).replace("+", "%20");
    }
}
