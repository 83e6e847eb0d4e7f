package clinicrelay.dashboard;

import clinicrelay.http.Forms;
import clinicrelay.http.RequestBodies;
import clinicrelay.http.Responses;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What every operator POST must be (retries, forwarding's buttons): a POST, not from
 * another site — a browser holding the Basic credentials could be made to post by one —
 * and, for a form, of bounded size.
 */
final class OperatorPosts {
    /** A dashboard form is a few hundred bytes. */
    static final int FORM_BYTES_MAX = 4 * 1024;

    /** PUBLIC_BASE_URL's origin ({@code https://relay.example.com}), or null: behind a proxy the Host header may lack its port. */
    private final String publicOrigin;

    OperatorPosts(String publicBaseUrl) {
        this.publicOrigin = publicBaseUrl == null ? null : originOf(publicBaseUrl);
    }

    private static String originOf(String url) {
        java.net.URI uri = java.net.URI.create(url);
        return (uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT);
    }

    /**
     * A POST, and not from another site. Scripts (curl) send neither {@code Origin} nor
     * {@code Sec-Fetch-Site} and may use the API; a form in a browser always sends one of
     * them, so for forms ({@code formOnly}) one must be present and say this site. Answers
     * 405 or 403 itself when not.
     */
    boolean allowed(HttpExchange exchange, boolean formOnly) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            Responses.methodNotAllowed(exchange, "POST");
            return false;
        }
        boolean said = exchange.getRequestHeaders().getFirst("Origin") != null
                || exchange.getRequestHeaders().getFirst("Sec-Fetch-Site") != null;
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        boolean ourPublicOrigin = origin != null && origin.toLowerCase(Locale.ROOT).equals(publicOrigin);
        if ((isCrossSite(exchange) && !ourPublicOrigin) || (formOnly && !said)) {
            Responses.error(exchange, 403, "cross-site request refused");
            return false;
        }
        return true;
    }

    /** A form POSTed from this site, or null once the request was answered (405, 403, 413). */
    Map<String, String> form(HttpExchange exchange) throws IOException {
        if (!allowed(exchange, true)) {
            return null;
        }
        try {
            return Forms.parse(new String(RequestBodies.readBounded(exchange, FORM_BYTES_MAX), StandardCharsets.UTF_8));
        } catch (RequestBodies.TooLarge tooLarge) {
            Responses.error(exchange, 413, "form too large");
            return null;
        }
    }

    /**
     * A browser that holds the Basic credentials could be made to POST by another site; such
     * a request says so ({@code Sec-Fetch-Site}, or an {@code Origin} that is not this host).
     */
    static boolean isCrossSite(HttpExchange exchange) {
        String fetchSite = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin == null) {
            return false;
        }
        String authority = origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        return host == null || !authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
    }
}
