package clinicrelay.http;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dispatches on the exact request path (the JDK's contexts match by string prefix, so
 * {@code /webhook} would also catch {@code /webhookX}), answers 404 in JSON, sheds load
 * on saturated threads, and is the one outermost boundary for unexpected exceptions: a log
 * line naming only the exception class (a message could quote request content), then the
 * route's unavailable answer (a dropped connection for Zocdoc, which would never redeliver
 * after a 500) or a JSON 500.
 */
final class Router implements HttpHandler {
    private final Map<String, Route> routes = new HashMap<>();
    /** Routes ending in {@code /*}: the paths below a prefix (an id in the path), never the prefix itself. */
    private final List<Route> prefixRoutes = new java.util.ArrayList<>();
    private final Log log;

    Router(List<Route> routes, Log log) {
        for (Route route : routes) {
            if (route.path().endsWith("/*")) {
                prefixRoutes.add(route);
            } else if (this.routes.put(route.path(), route) != null) {
                throw new IllegalArgumentException("duplicate route " + route.path());
            }
        }
        this.log = log;
    }

    private Route find(String path) {
        Route exact = routes.get(path);
        if (exact != null) {
            return exact;
        }
        for (Route route : prefixRoutes) {
            String prefix = route.path().substring(0, route.path().length() - 1);
            if (path.startsWith(prefix) && path.length() > prefix.length()) {
                return route;
            }
        }
        return null;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Route route = find(exchange.getRequestURI().getRawPath());
            if (route == null) {
                Responses.error(exchange, 404, "not found");
                return;
            }
            if (Thread.currentThread() instanceof WorkerPool.SheddingThread) {
                log.warnThrottled("shed", "request shed: all workers busy", Field.route(route.path()));
                route.whenUnavailable().answer(exchange, "server busy");
                return;
            }
            dispatch(route, exchange);
        }
    }

    private void dispatch(Route route, HttpExchange exchange) throws IOException {
        try {
            route.handler().handle(exchange);
        } catch (ConnectionDrop drop) {
            throw drop;
        } catch (RuntimeException unexpected) {
            log.error("request failed unexpectedly", Field.route(route.path()),
                    Field.reason(unexpected.getClass().getName()));
            if (exchange.getResponseCode() != -1) {
                return; // the answer is already on its way
            }
            if (route.whenUnavailable() == WhenUnavailable.DROP_CONNECTION) {
                throw new ConnectionDrop("unexpected failure");
            }
            Responses.error(exchange, 500, "internal error");
        }
    }
}
