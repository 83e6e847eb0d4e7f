package clinicrelay.twilio;

import clinicrelay.http.Forms;
import clinicrelay.http.RequestBodies;
import clinicrelay.http.Responses;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What both Twilio routes do first: POST only, a bounded form body, and a valid
 * {@code X-Twilio-Signature} over PUBLIC_BASE_URL + path + query. Without PUBLIC_BASE_URL
 * or TWILIO_AUTH_TOKEN nothing can be verified, so every callback is refused (fail closed).
 */
final class TwilioCallbacks {
    /** Largest callback body; Twilio's are about 1 KiB. */
    static final int CALLBACK_BYTES_MAX = 64 * 1024;
    static final String SIGNATURE_HEADER = "X-Twilio-Signature";

    private final String publicBaseUrl;
    private final TwilioSignature signature;
    private final Log log;

    /** @param publicBaseUrl and authToken may be null: then every callback is refused */
    TwilioCallbacks(String publicBaseUrl, String authToken, Log log) {
        this.publicBaseUrl = publicBaseUrl;
        this.signature = authToken == null ? null : new TwilioSignature(authToken);
        this.log = log;
    }

    /** The callback's parameters, or null after answering (405, 413, 403, 400). */
    Map<String, String> verified(HttpExchange exchange, String route) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            Responses.methodNotAllowed(exchange, "POST");
            return null;
        }
        byte[] body;
        try {
            body = RequestBodies.readBounded(exchange, CALLBACK_BYTES_MAX);
        } catch (RequestBodies.TooLarge tooLarge) {
            Responses.error(exchange, 413, "body too large");
            return null;
        }
        Map<String, List<String>> params;
        try {
            params = Forms.parseAll(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            Responses.error(exchange, 400, "body is not a form");
            return null;
        }
        if (publicBaseUrl == null || signature == null) {
            log.warnThrottled("twilio_unverifiable", "twilio callback refused: PUBLIC_BASE_URL and TWILIO_AUTH_TOKEN are needed to verify it",
                    Field.route(route));
            Responses.error(exchange, 403, "invalid signature");
            return null;
        }
        String query = exchange.getRequestURI().getRawQuery();
        String url = publicBaseUrl + exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
        if (!signature.isValidForAll(url, params, exchange.getRequestHeaders().getFirst(SIGNATURE_HEADER))) {
            log.warnThrottled("twilio_invalid_signature", "twilio callback", Field.route(route),
                    Field.outcome("invalid_signature"));
            Responses.error(exchange, 403, "invalid signature");
            return null;
        }
        Map<String, String> last = new java.util.LinkedHashMap<>();
        params.forEach((name, values) -> last.put(name, values.get(values.size() - 1)));
        return last;
    }
}
