package clinicrelay.crm;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.config.SalesforceSettings;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Salesforce REST API as the CRM sync uses it: an OAuth 2.0 client-credentials token
 * from the org's My Domain, kept until a call is refused (401), then asked for again once;
 * {@code instance_url} from the token answer is the API host, and must be the My Domain host
 * the token came from; SOQL queries,
 * sobject create and update, the versions the org offers. Errors come as a JSON array
 * {@code [{"message","errorCode","fields"}]} and become a {@link SalesforceException}. The
 * token, the secret, queries and record values never reach a log or an exception.
 */
public final class SalesforceApi {
    /** Largest answer read: a query of two records, a version list, an error array. */
    static final int ANSWER_BYTES_MAX = 256 * 1024;
    /** What the org's daily API limit costs: try again in an hour. */
    static final Duration LIMIT_WAIT = Duration.ofHours(1);

    private final HttpClient http;
    private final SalesforceSettings settings;
    private String token;
    private URI instance;

    public SalesforceApi(HttpClient http, SalesforceSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** Asks for a token now (check-config): nothing else is done, nothing is printed. */
    public synchronized void checkCredentials() throws SalesforceException, InterruptedException {
        fetchToken();
    }

    /** The API versions the org offers ("62.0", ...), newest last. */
    public List<String> versions() throws SalesforceException, InterruptedException {
        JsonArray list = arrayOrNull(call("GET", "/services/data/", null, false));
        List<String> versions = new ArrayList<>();
        for (int i = 0; list != null && i < list.size(); i++) {
            if (list.get(i) instanceof JsonObject version && version.string("version") != null) {
                versions.add(version.string("version"));
            }
        }
        return versions;
    }

    /** The records a SOQL query returns (its {@code records}). */
    public JsonArray query(String soql) throws SalesforceException, InterruptedException {
        JsonObject answer = object(call("GET", base() + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null,
                false));
        JsonArray records = answer.array("records");
        return records == null ? new JsonArray() : records;
    }

    /** Creates a record; its id. A lost answer is {@link SalesforceException.Kind#UNCERTAIN}: look before creating again. */
    public String create(String sobject, JsonBuilder fields) throws SalesforceException, InterruptedException {
        JsonObject answer = object(call("POST", base() + "/sobjects/" + sobject, fields.toText(), true));
        String id = answer.string("id");
        if (id == null) {
            throw new SalesforceException(SalesforceException.Kind.RETRY, "salesforce create answered without an id", null, null);
        }
        return id;
    }

    /** Updates fields of a record (204). */
    public void update(String sobject, String id, JsonBuilder fields) throws SalesforceException, InterruptedException {
        call("PATCH", base() + "/sobjects/" + sobject + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8), fields.toText(),
                false);
    }

    private String base() {
        return "/services/data/" + settings.apiVersion();
    }

    /**
     * One call with the cached token; a 401 asks for a new token and calls once more.
     *
     * @param creates the call creates something: a lost answer is uncertain, not a plain retry
     */
    private byte[] call(String method, String path, String json, boolean creates) throws SalesforceException, InterruptedException {
        String used;
        URI host;
        synchronized (this) {
            if (token == null) {
                fetchToken();
            }
            used = token;
            host = instance;
        }
        HttpResponse<byte[]> response = send(method, host, path, json, used, creates);
        if (response.statusCode() == 401) {
            synchronized (this) {
                if (used.equals(token)) {
                    fetchToken();
                }
                used = token;
                host = instance;
            }
            response = send(method, host, path, json, used, creates);
        }
        int status = response.statusCode();
        if (HttpAnswers.isSuccess(status)) {
            return response.body();
        }
        throw refusal(status, response);
    }

    private HttpResponse<byte[]> send(String method, URI host, String path, String json, String bearer, boolean creates)
            throws SalesforceException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(host.resolve(path)).timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            return http.send(request.build(), BoundedBody.upTo(ANSWER_BYTES_MAX));
        } catch (IOException lost) {
            throw new SalesforceException(creates ? SalesforceException.Kind.UNCERTAIN : SalesforceException.Kind.RETRY,
                    "salesforce " + method + " got no answer (" + lost.getClass().getSimpleName() + ")", null, null);
        }
    }

    /** The client-credentials grant on the org's My Domain host (there is no refresh token). */
    private void fetchToken() throws SalesforceException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(settings.tokenUrl()).timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, BoundedBody.upTo(ANSWER_BYTES_MAX));
        } catch (IOException unreachable) {
            throw new SalesforceException(SalesforceException.Kind.RETRY, "salesforce token: no answer ("
                    + unreachable.getClass().getSimpleName() + ")", null, null);
        }
        int status = response.statusCode();
        if (status == 400 || status == 401 || status == 403) {
            // invalid_client / invalid_grant: the app, its secret or its client-credentials set-up
            throw new SalesforceException(SalesforceException.Kind.PERMANENT, "salesforce token http " + status
                    + ": check SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, that the External Client App enables the"
                    + " client credentials flow with a run-as user, and that SALESFORCE_LOGIN_URL is the org's My Domain",
                    "invalid_client", null);
        }
        if (!HttpAnswers.isSuccess(status)) {
            throw new SalesforceException(SalesforceException.Kind.RETRY, "salesforce token http " + status, null,
                    HttpAnswers.retryAfter(response));
        }
        JsonObject answer = object(response.body());
        String accessToken = answer.string("access_token");
        URI instanceUrl = instanceUrl(answer.string("instance_url"));
        if (accessToken == null || accessToken.isBlank()) {
            throw new SalesforceException(SalesforceException.Kind.RETRY, "salesforce token answer without a token", null, null);
        }
        token = accessToken;
        instance = instanceUrl;
    }

    /**
     * The API host the token answer names: it must be the org's own My Domain host, the one
     * SALESFORCE_LOGIN_URL names (same scheme, host and port). Any other host — even another
     * *.my.salesforce.com, which anyone can have for free — would receive the patients.
     */
    private URI instanceUrl(String value) throws SalesforceException {
        try {
            URI uri = new URI(value == null ? "" : value);
            URI login = settings.loginUrl();
            if (uri.getScheme() != null && uri.getHost() != null && uri.getScheme().equalsIgnoreCase(login.getScheme())
                    && uri.getHost().equalsIgnoreCase(login.getHost()) && uri.getPort() == login.getPort()) {
                return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
            }
        } catch (java.net.URISyntaxException notAUrl) {
            // refused below
        }
        throw new SalesforceException(SalesforceException.Kind.PERMANENT, "salesforce token answer names an instance_url"
                + " other than SALESFORCE_LOGIN_URL's host: refused (set SALESFORCE_LOGIN_URL to the org's My Domain URL)",
                null, null);
    }

    private static SalesforceException refusal(int status, HttpResponse<byte[]> response) {
        String errorCode = null;
        try {
            JsonArray errors = arrayOrNull(response.body());
            if (errors != null && errors.size() > 0 && errors.get(0) instanceof JsonObject first) {
                errorCode = first.string("errorCode");
            }
        } catch (RuntimeException unreadable) {
            // no code: the status says enough
        }
        String message = "salesforce http " + status + (errorCode == null ? "" : " " + errorCode);
        if (status == 410) {
            return new SalesforceException(SalesforceException.Kind.GONE, message, errorCode, null, status);
        }
        if (status == 403 && "REQUEST_LIMIT_EXCEEDED".equals(errorCode)) {
            return new SalesforceException(SalesforceException.Kind.LIMIT, message, errorCode, LIMIT_WAIT, status);
        }
        if (HttpAnswers.isRetryable(status)) {
            return new SalesforceException(SalesforceException.Kind.RETRY, message, errorCode, HttpAnswers.retryAfter(response),
                    status);
        }
        return new SalesforceException(SalesforceException.Kind.PERMANENT, message, errorCode, null, status);
    }

    /** The body as a JSON array, or null when it is not one. */
    private static JsonArray arrayOrNull(byte[] body) {
        try {
            return Json.parse(body) instanceof JsonArray array ? array : null;
        } catch (JsonException notJson) {
            return null;
        }
    }

    private static JsonObject object(byte[] body) throws SalesforceException {
        try {
            return Json.parseObject(body);
        } catch (JsonException | RuntimeException unreadable) {
            throw new SalesforceException(SalesforceException.Kind.RETRY, "salesforce answer could not be read", null, null);
        }
    }
}
