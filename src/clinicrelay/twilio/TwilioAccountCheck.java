package clinicrelay.twilio;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.channel.ProbeResult;
import clinicrelay.http.BoundedBody;
import clinicrelay.json.Json;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Asks Twilio whether the account SID and auth token work: {@code GET
 * /2010-04-01/Accounts/{AccountSid}.json} with them, and reads the account's
 * {@code status} (active, suspended, closed) and {@code type} (Trial accounts text only
 * verified numbers). Sends nothing; the answer (which holds the token) is never shown.
 */
public final class TwilioAccountCheck {
    /** An account answer is about a kilobyte. */
    static final int ANSWER_BYTES_MAX = 64 * 1024;

    private TwilioAccountCheck() {
    }

    public static ProbeResult probe(HttpClient http, URI apiBase, String accountSid, String authToken)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(apiBase.resolve(TwilioSms.API_PATH + accountSid + ".json"))
                .timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, BoundedBody.upTo(ANSWER_BYTES_MAX));
        } catch (IOException unreachable) {
            return ProbeResult.networkError("twilio", unreachable);
        }
        int status = response.statusCode();
        if (status == 401) {
            return ProbeResult.refused("twilio", "twilio refused TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN (http 401, code 20003):"
                    + " copy both again from Account Info in the Twilio Console (a token rotated there, or a sub-account"
                    + " SID with the main account's token, does this)");
        }
        if (status == 403 || status == 404) {
            return ProbeResult.refused("twilio", "twilio answered http " + status + " for TWILIO_ACCOUNT_SID: the token"
                    + " belongs to another account, or the account was closed; check the SID in the Twilio Console");
        }
        if (!HttpAnswers.isSuccess(status)) {
            return ProbeResult.unreachable("twilio", "twilio answered http " + status + " to an account check; try again later");
        }
        try {
            JsonObject account = Json.parseObject(response.body());
            String state = account.string("status");
            if (!"active".equals(state)) {
                return ProbeResult.refused("twilio", "twilio: the account is " + state + ", so no text will be sent:"
                        + " reactivate it in the Twilio Console (Billing, or Twilio support)");
            }
            return ProbeResult.ok("twilio", "Trial".equals(account.string("type"))
                    ? "twilio: the credentials work, but this is a Trial account: it texts only verified numbers"
                    : "twilio: the credentials work and the account is active");
        } catch (JsonException | RuntimeException unreadable) {
            return ProbeResult.unreachable("twilio", "twilio's account answer could not be read");
        }
    }
}
