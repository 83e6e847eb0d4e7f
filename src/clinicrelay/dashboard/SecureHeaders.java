package clinicrelay.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;

/** The headers of every dashboard and operator answer: nothing cached, no script, no framing, no referrer. */
final class SecureHeaders {
    /** No script at all; the page's own inline styles; nothing loaded from anywhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
            + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** A year: the dashboard is only ever meant to be reached over HTTPS. */
    static final String HSTS = "max-age=31536000";

    private SecureHeaders() {
    }

    static void apply(HttpExchange exchange) {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Cache-Control", "no-store");
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
        if (exchange instanceof HttpsExchange) {
            headers.set("Strict-Transport-Security", HSTS); // browsers that saw HTTPS here never try plain HTTP
        }
    }
}
