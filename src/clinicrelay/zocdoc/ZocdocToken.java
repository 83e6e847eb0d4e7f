package clinicrelay.zocdoc;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.config.ZocdocEnvironment;
import clinicrelay.http.BoundedBody;
import clinicrelay.json.Json;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonNumber;
import clinicrelay.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An OAuth 2.0 client-credentials access token for Zocdoc's API, fetched when first
 * needed and kept until {@link #REFRESH_MARGIN} before it expires (docs/providers.md
 * "Zocdoc": a JSON body with grant type, client id and secret, scope and audience). The
 * token and the secret are never logged or put in an exception.
 */
final class ZocdocToken {
    /** The scope the relay needs: reading appointments and their participants. */
    static final String SCOPE = "external.appointment.read";
    /** A token is renewed this long before Zocdoc says it expires. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);
    /** Used when the answer gives no {@code expires_in}. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);
    /** Longest lifetime believed: an absurd expires_in is taken as this (and never overflows a time). */
    static final Duration LIFETIME_MAX = Duration.ofDays(1);

    private final HttpClient http;
    private final ZocdocEnvironment environment;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    ZocdocToken(HttpClient http, ZocdocEnvironment environment, String clientId, String clientSecret, Clock clock) {
        this.http = http;
        this.environment = environment;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    /** The cached token, or a new one when there is none or it is about to expire. */
    synchronized String current() throws ZocdocApiException, InterruptedException {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    /** Zocdoc refused {@code used} (401): the next {@link #current} fetches a new one. */
    synchronized void refused(String used) {
        if (used.equals(token)) {
            token = null;
        }
    }

    private void fetch() throws ZocdocApiException, InterruptedException {
        String body = new JsonBuilder().beginObject()
                .member("grant_type", "client_credentials")
                .member("client_id", clientId)
                .member("client_secret", clientSecret)
                .member("scope", SCOPE)
                .member("audience", environment.audience())
                .endObject().toText();
        HttpRequest request = HttpRequest.newBuilder(environment.tokenUrl()).timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, BoundedBody.upTo(ZocdocApi.ANSWER_BYTES_MAX));
        } catch (IOException networkError) {
            throw new ZocdocApiException(ZocdocApiException.Kind.RETRY,
                    "zocdoc token network " + networkError.getClass().getSimpleName(), null);
        }
        int status = response.statusCode();
        if (!HttpAnswers.isSuccess(status)) {
            // Refused credentials stay refused until someone fixes them, but a fix needs no
            // restart: the caller's retries pick it up. Hence RETRY, with the reason logged.
            throw new ZocdocApiException(ZocdocApiException.Kind.RETRY, "zocdoc token http " + status,
                    HttpAnswers.isRetryable(status) ? HttpAnswers.retryAfter(response) : null);
        }
        try {
            JsonObject answer = Json.parseObject(response.body());
            String accessToken = answer.string("access_token");
            if (accessToken == null || accessToken.isBlank()) {
                throw new ZocdocApiException(ZocdocApiException.Kind.RETRY, "zocdoc token answer without access_token", null);
            }
            JsonNumber expiresIn = answer.number("expires_in");
            Long seconds = expiresIn == null ? null : expiresIn.toLongOrNull();
            Duration lifetime = seconds == null || seconds <= 0 ? DEFAULT_LIFETIME
                    : Duration.ofSeconds(Math.min(seconds, LIFETIME_MAX.getSeconds()));
            token = accessToken;
            renewAt = clock.instant().plus(lifetime).minus(REFRESH_MARGIN);
        } catch (JsonException unreadable) {
            throw new ZocdocApiException(ZocdocApiException.Kind.RETRY, "zocdoc token answer is not JSON", null);
        }
    }
}
