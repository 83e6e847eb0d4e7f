package clinicrelay.channel;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.MessageChannel;
import clinicrelay.delivery.OutgoingMessage;
import clinicrelay.json.JsonBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * SendGrid v3 Mail Send (docs/providers.md "SendGrid"): {@code POST /v3/mail/send}
 * with a Bearer key and a JSON body; 202 with the {@code X-Message-Id} header. Plain-text
 * only, and no {@code custom_args}: SendGrid keeps those indefinitely as "not PII".
 */
public final class SendGridEmail implements MessageChannel {
    /** What {@link #findSent} answers: SendGrid cannot be asked whether a mail was taken. */
    public static final String UNVERIFIABLE = "sendgrid-unverifiable";

    private final HttpClient http;
    private final URI sendUri;
    private final String authorization;
    private final String fromEmail;
    private final String fromName;

    public SendGridEmail(HttpClient http, URI apiBase, String apiKey, String fromEmail, String fromName) {
        this.http = http;
        this.sendUri = apiBase.resolve("/v3/mail/send");
        this.authorization = "Bearer " + apiKey;
        this.fromEmail = fromEmail;
        this.fromName = fromName;
    }

    @Override
    public String name() {
        return "sendgrid";
    }

    @Override
    public AttemptResult send(OutgoingMessage message) throws InterruptedException {
        String body = new JsonBuilder().beginObject()
                .beginArray("personalizations").beginObject()
                .beginArray("to").beginObject().member("email", message.to()).endObject().endArray()
                .endObject().endArray()
                .beginObject("from").member("email", fromEmail).member("name", fromName).endObject()
                .member("subject", message.subject())
                .beginArray("content").beginObject()
                .member("type", "text/plain").member("value", message.body())
                .endObject().endArray()
                .endObject().toText();
        HttpRequest request = HttpRequest.newBuilder(sendUri).timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException networkError) {
            return HttpAnswers.networkError("sendgrid", networkError);
        }
        int status = response.statusCode();
        if (HttpAnswers.isSuccess(status)) {
            return new AttemptResult.Sent(response.headers().firstValue("X-Message-Id").orElse("sendgrid-" + status));
        }
        if (HttpAnswers.isRetryable(status)) {
            return HttpAnswers.retry("sendgrid", response);
        }
        return new AttemptResult.Failed("sendgrid http " + status, false, status == 401 || status == 403);
    }

    /**
     * SendGrid offers no way to look a mail up by content, so an attempt cut short by a
     * crash or a connection broken after the request went out counts as sent: a missed
     * confirmation e-mail is better than a doubled one, and the SMS confirmation
     * (reconciled properly) says the same. A 5xx is a plain retry: SendGrid did not take it.
     */
    @Override
    public String findSent(OutgoingMessage message, Instant attemptStarted, java.util.Set<String> claimed) {
        return UNVERIFIABLE;
    }
}
