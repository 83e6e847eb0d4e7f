package clinicrelay.forward;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.signature.StandardWebhooksSignature;
import clinicrelay.signature.StandardWebhooksSigner;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;

/**
 * POSTs one event per request to a webhook receiver, signed the Standard Webhooks way: a
 * {@code webhook-id} stable for the event and this target, the {@code webhook-timestamp}
 * of this attempt, and {@code webhook-signature} over {@code id.timestamp.body} under
 * every FORWARD_SECRET key. Any 2xx is accepted; 410 Gone switches the target off; any
 * other answer, a timeout or a broken connection is tried again later.
 */
final class WebhookSink implements Sink {
    private final HttpClient http;
    private final ForwardTarget target;
    private final StandardWebhooksSigner signer;
    private final Clock clock;
    private final String userAgent;

    WebhookSink(HttpClient http, ForwardTarget target, StandardWebhooksSigner signer, Clock clock, String userAgent) {
        this.http = http;
        this.target = target;
        this.signer = signer;
        this.clock = clock;
        this.userAgent = userAgent;
    }

    @Override
    public int batchMax() {
        return 1;
    }

    @Override
    public SinkAnswer send(List<ForwardEvent> batch) throws InterruptedException {
        ForwardEvent event = batch.get(0);
        String id = event.webhookId(target);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target.url())
                .timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .header(StandardWebhooksSignature.ID_HEADER, id)
                .header(StandardWebhooksSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(StandardWebhooksSignature.SIGNATURE_HEADER, signer.sign(id, timestamp, event.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (HttpAnswers.isSuccess(status)) {
                return SinkAnswer.accepted(1);
            }
            if (status == 410) {
                return SinkAnswer.gone(1, "http 410");
            }
            return SinkAnswer.failed(1, "http " + status, HttpAnswers.retryAfter(response));
        } catch (IOException unanswered) {
            return SinkAnswer.unanswered(1, unanswered);
        }
    }
}
