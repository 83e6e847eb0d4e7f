package clinicrelay.metrics;

import clinicrelay.http.Responses;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** {@code GET /metrics}: Prometheus text format, no authentication (it holds no patient data). */
public final class MetricsHandler implements HttpHandler {
    private final RelayMetrics metrics;
    private final byte[] token;

    public MetricsHandler(RelayMetrics metrics) {
        this(metrics, null);
    }

    /** @param token METRICS_TOKEN: when set, a scrape must carry {@code Authorization: Bearer <token>} */
    public MetricsHandler(RelayMetrics metrics, String token) {
        this.metrics = metrics;
        this.token = token == null ? null : digest("Bearer " + token);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            Responses.methodNotAllowed(exchange, "GET, HEAD");
            return;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (token != null && (given == null || !MessageDigest.isEqual(token, digest(given.strip())))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            Responses.error(exchange, 401, "metrics need METRICS_TOKEN");
            return;
        }
        Responses.body(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.render().getBytes(StandardCharsets.UTF_8));
    }

    /** Compared as SHA-256 digests: equal length, so the time taken says nothing of the token. */
    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
