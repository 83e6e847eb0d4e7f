package clinicrelay.twilio;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.MessageChannel;
import clinicrelay.delivery.OutgoingMessage;
import clinicrelay.http.BoundedBody;
import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonNumber;
import clinicrelay.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Twilio Programmable Messaging, as docs/providers.md "Twilio" describes it:
 * {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}, form-encoded, HTTP Basic
 * with the account SID and auth token; 201 with the message {@code sid}; errors as
 * {@code {"code":21610,...}}. Error 21610 means the recipient opted out. After a crash, a
 * broken connection or a 5xx, {@link #findSent} lists messages to the number since the
 * attempt and matches the text, so a message is never sent twice on a guess.
 */
public final class TwilioSms implements MessageChannel {
    static final String API_PATH = "/2010-04-01/Accounts/";
    static final int OPTED_OUT_CODE = 21610;
    /** Pages of the message list read when reconciling: 50 messages each, newest first. */
    static final int RECONCILE_PAGES_MAX = 4;
    static final int PAGE_SIZE = 50;
    /** Largest answer read: a page of PAGE_SIZE messages is tens of kilobytes. */
    static final int ANSWER_BYTES_MAX = 1024 * 1024;
    /** Twilio stamps messages with its own clock: allow for a difference with ours. */
    static final long CLOCK_SKEW_SECONDS = 300;

    private final HttpClient http;
    private final URI apiBase;
    private final String accountSid;
    private final String authorization;
    private final String from;
    private final String messagingServiceSid;
    private final String statusCallbackBase;

    /**
     * @param statusCallbackBase e.g. {@code https://relay.example.com/twilio/status}, or null for no callbacks
     */
    public TwilioSms(HttpClient http, URI apiBase, String accountSid, String authToken, String from,
                     String messagingServiceSid, String statusCallbackBase) {
        this.http = http;
        this.apiBase = apiBase;
        this.accountSid = accountSid;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        this.from = from;
        this.messagingServiceSid = messagingServiceSid;
        this.statusCallbackBase = statusCallbackBase;
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public AttemptResult send(OutgoingMessage message) throws InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", message.to());
        if (messagingServiceSid != null) {
            form.put("MessagingServiceSid", messagingServiceSid);
        } else {
            form.put("From", from);
        }
        form.put("Body", message.body());
        if (statusCallbackBase != null) {
            form.put("StatusCallback", statusCallbackBase + "?delivery=" + encode(message.deliveryId()));
        }
        HttpRequest request = HttpRequest.newBuilder(messagesUri(""))
                .timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, BoundedBody.upTo(ANSWER_BYTES_MAX));
        } catch (IOException networkError) {
            return HttpAnswers.networkError("twilio", networkError);
        }
        return interpret(response);
    }

    private AttemptResult interpret(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (HttpAnswers.isSuccess(status)) {
            String sid = field(response.body(), "sid");
            return sid != null ? new AttemptResult.Sent(sid)
                    : new AttemptResult.Uncertain("twilio answered " + status + " without a sid", null);
        }
        if (status == 429) {
            return HttpAnswers.retry("twilio", response); // refused before anything was created
        }
        if (HttpAnswers.isRetryable(status)) {
            // A 5xx may come after Twilio created the message: look for it before sending again.
            return HttpAnswers.uncertain("twilio", response);
        }
        Long code = errorCode(response.body());
        return new AttemptResult.Failed("twilio http " + status + (code == null ? "" : " code " + code),
                code != null && code == OPTED_OUT_CODE, status == 401 || status == 403);
    }

    /**
     * Lists the messages to the number, newest first, back to the attempt's start (minus
     * clock skew), and returns the first whose text is this message's and whose sid is not
     * already another message's. No {@code DateSent} filter: a message still queued at
     * Twilio has no send date yet, and must be found all the same.
     */
    @Override
    public String findSent(OutgoingMessage message, Instant attemptStarted, java.util.Set<String> claimed)
            throws ReconcileException, InterruptedException {
        if (message.to() == null || message.body() == null) {
            throw new ReconcileException("what was sent is no longer known");
        }
        Instant oldest = attemptStarted.minusSeconds(CLOCK_SKEW_SECONDS);
        URI page = messagesUri("?To=" + encode(message.to()) + "&PageSize=" + PAGE_SIZE);
        for (int i = 0; i < RECONCILE_PAGES_MAX && page != null; i++) {
            JsonObject answer = get(page);
            JsonArray messages = answer.array("messages");
            if (messages == null) {
                return null;
            }
            for (Object item : messages.values()) {
                if (!(item instanceof JsonObject listed)) {
                    continue;
                }
                Instant created = createdAt(listed.string("date_created"));
                if (created != null && created.isBefore(oldest)) {
                    return null; // newest first: everything further is older than the attempt
                }
                String sid = listed.string("sid");
                if (message.body().equals(listed.string("body")) && sid != null && !claimed.contains(sid)) {
                    return sid;
                }
            }
            String next = answer.string("next_page_uri");
            page = next == null ? null : onApiBase(next);
        }
        if (page != null) {
            throw new ReconcileException("more messages to this number than a check reads");
        }
        return null;
    }

    /**
     * The next page, only on the configured API base: the request carries the account's
     * credentials, so a next_page_uri naming another host (or scheme, or port) is not followed.
     */
    private URI onApiBase(String next) throws ReconcileException {
        URI resolved;
        try {
            resolved = apiBase.resolve(next);
        } catch (IllegalArgumentException malformed) {
            throw new ReconcileException("twilio list gave an unreadable next page");
        }
        if (!apiBase.getScheme().equalsIgnoreCase(resolved.getScheme()) || !apiBase.getHost().equalsIgnoreCase(resolved.getHost())
                || apiBase.getPort() != resolved.getPort()) {
            throw new ReconcileException("twilio list pointed its next page at another host");
        }
        return resolved;
    }

    private JsonObject get(URI uri) throws ReconcileException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Authorization", authorization).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, BoundedBody.upTo(ANSWER_BYTES_MAX));
            if (!HttpAnswers.isSuccess(response.statusCode())) {
                throw new ReconcileException("twilio list answered " + response.statusCode());
            }
            return Json.parseObject(response.body());
        } catch (IOException | JsonException unreadable) {
            throw new ReconcileException("twilio list failed: " + unreadable.getClass().getSimpleName());
        }
    }

    /** A listed message's {@code date_created} (RFC 2822), or null when absent or unreadable. */
    private static Instant createdAt(String rfc2822) {
        if (rfc2822 == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(rfc2822, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private URI messagesUri(String query) {
        return apiBase.resolve(API_PATH + encode(accountSid) + "/Messages.json" + query);
    }

    private static String field(byte[] json, String name) {
        try {
            return Json.parseObject(json).string(name);
        } catch (JsonException notJson) {
            return null;
        }
    }

    private static Long errorCode(byte[] json) {
        try {
            JsonNumber code = Json.parseObject(json).number("code");
            return code == null ? null : code.toLongOrNull();
        } catch (JsonException notJson) {
            return null;
        }
    }

    static String formEncode(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> field : form.entrySet()) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(encode(field.getKey())).append('=').append(encode(field.getValue()));
        }
        return body.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
