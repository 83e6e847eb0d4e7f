package clinicrelay.channel;

import clinicrelay.delivery.AttemptResult;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What a provider's HTTP answer means for a delivery, the same for every provider:
 * 2xx sent; 429 and 5xx retried (honouring Retry-After); any other status refused for good.
 * Whether a 5xx or a broken connection may have left the message sent is the provider's
 * call ({@link #uncertain}).
 */
public final class HttpAnswers {
    /** Longest wait for a provider to answer one request. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longest Retry-After read from a header: a provider's number past it is taken as it (the engine caps lower). */
    static final Duration RETRY_AFTER_CEILING = Duration.ofDays(1);

    private HttpAnswers() {
    }

    /** The client every call to a provider goes through: HTTP/1.1, {@link #CONNECT_TIMEOUT}. */
    public static java.net.http.HttpClient newClient() {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).build();
    }

    public static boolean isSuccess(int status) {
        return status / 100 == 2;
    }

    public static boolean isRetryable(int status) {
        return status == 429 || status / 100 == 5;
    }

    /** A retry for a 429 or 5xx answer, with the provider's Retry-After when it gave one. */
    public static AttemptResult.Retry retry(String provider, HttpResponse<?> response) {
        return new AttemptResult.Retry(provider + " http " + response.statusCode(), retryAfter(response));
    }

    /**
     * The send may have been taken (a 5xx after the request went out): the next attempt
     * looks for it before sending again; Retry-After still sets the wait.
     */
    public static AttemptResult.Uncertain uncertain(String provider, HttpResponse<?> response) {
        return new AttemptResult.Uncertain(provider + " http " + response.statusCode(), retryAfter(response));
    }

    /**
     * A network error: when the connection was never made, nothing reached the provider and
     * a plain retry is safe; any later break leaves the outcome unknown.
     */
    public static AttemptResult networkError(String provider, java.io.IOException error) {
        String reason = provider + " network " + error.getClass().getSimpleName();
        if (error instanceof java.net.ConnectException || error instanceof java.net.http.HttpConnectTimeoutException) {
            return new AttemptResult.Retry(reason, null);
        }
        return new AttemptResult.Uncertain(reason, null);
    }

    /** The answer's Retry-After as a duration; null when absent or unreadable. */
    public static Duration retryAfter(HttpResponse<?> response) {
        return retryAfter(response.headers().firstValue("Retry-After").orElse(null));
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Seconds, saturating: more digits than a day's worth of seconds is a day.
            return text.length() > 9 ? RETRY_AFTER_CEILING
                    : Duration.ofSeconds(Math.min(Long.parseLong(text), RETRY_AFTER_CEILING.getSeconds()));
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                long seconds = Math.max(0, at.toEpochSecond() - System.currentTimeMillis() / 1000);
                return Duration.ofSeconds(Math.min(seconds, RETRY_AFTER_CEILING.getSeconds()));
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
