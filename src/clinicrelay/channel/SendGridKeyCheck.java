package clinicrelay.channel;

import clinicrelay.http.BoundedBody;
import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Asks SendGrid whether the API key works and may send mail: {@code GET /v3/scopes}
 * answers {@code {"scopes":[...]}} with the key's permissions; {@code mail.send} must be
 * among them. Sends nothing.
 */
public final class SendGridKeyCheck {
    static final String SCOPES_PATH = "/v3/scopes";
    static final String SEND_SCOPE = "mail.send";
    /** A key with every permission lists a few hundred scopes: some kilobytes. */
    static final int ANSWER_BYTES_MAX = 256 * 1024;

    private SendGridKeyCheck() {
    }

    public static ProbeResult probe(HttpClient http, URI apiBase, String apiKey) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(apiBase.resolve(SCOPES_PATH)).timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, BoundedBody.upTo(ANSWER_BYTES_MAX));
        } catch (IOException unreachable) {
            return ProbeResult.networkError("sendgrid", unreachable);
        }
        int status = response.statusCode();
        if (status == 401) {
            return ProbeResult.refused("sendgrid", "sendgrid refused SENDGRID_API_KEY (http 401): the key was deleted,"
                    + " revoked or mistyped; create one with the Mail Send permission under Settings → API Keys");
        }
        if (status == 403) {
            return ProbeResult.refused("sendgrid", "sendgrid answered 403 to SENDGRID_API_KEY: the account may be"
                    + " suspended or the key restricted; check the SendGrid account's status, then the key's permissions");
        }
        if (!HttpAnswers.isSuccess(status)) {
            return ProbeResult.unreachable("sendgrid", "sendgrid answered http " + status + " to a scopes check; try again later");
        }
        try {
            JsonArray scopes = Json.parseObject(response.body()).array("scopes");
            for (int i = 0; i < scopes.size(); i++) {
                if (SEND_SCOPE.equals(scopes.get(i))) {
                    return ProbeResult.ok("sendgrid", "sendgrid: the API key works and may send mail");
                }
            }
            return ProbeResult.refused("sendgrid", "sendgrid: SENDGRID_API_KEY works but lacks the Mail Send permission"
                    + " (mail.send): give it that permission under Settings → API Keys");
        } catch (JsonException | RuntimeException unreadable) {
            return ProbeResult.unreachable("sendgrid", "sendgrid's scopes answer could not be read");
        }
    }
}
