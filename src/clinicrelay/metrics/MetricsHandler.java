package clinicrelay.metrics;

import clinicrelay.http.Responses;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: Prometheus text format, no authentication (it holds no patient data). */
public final class MetricsHandler implements HttpHandler {
    private final RelayMetrics metrics;

    public MetricsHandler(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            Responses.methodNotAllowed(exchange, "GET, HEAD");
            return;
        }
        Responses.body(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.render().getBytes(StandardCharsets.UTF_8));
    }
}
