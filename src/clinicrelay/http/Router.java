package clinicrelay.http;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    /** Exchanges being handled now; {@link #drain} waits for them. Guarded by {@code this}. */
    private int inFlight;
    /** Set by {@link #drain}: requests that arrive from then on get their route's unavailable answer. */
    private boolean draining;
    /** Exchanges in progress per peer address (entries leave at zero: bounded by the exchanges in progress). */
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

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
        boolean admitted = admit();
        InetAddress peer = exchange.getRemoteAddress().getAddress();
        boolean counted = false;
        try (exchange) {
            Route route = find(exchange.getRequestURI().getRawPath());
            if (route == null) {
                Responses.error(exchange, 404, "not found");
                return;
            }
            if (!admitted) {
                route.whenUnavailable().answer(exchange, "server stopping");
                return;
            }
            counted = true;
            if (byAddress.merge(peer, 1, Integer::sum) > HttpLimits.EXCHANGES_PER_ADDRESS_MAX) {
                // One client holding many slow exchanges must not hold every worker.
                log.warnThrottled("per_address", "request refused: too many at once from one address",
                        Field.route(route.path()));
                route.whenUnavailable().answer(exchange, "too many requests at once");
                return;
            }
            if (Thread.currentThread() instanceof WorkerPool.SheddingThread) {
                log.warnThrottled("shed", "request shed: all workers busy", Field.route(route.path()));
                route.whenUnavailable().answer(exchange, "server busy");
                return;
            }
            dispatch(route, exchange);
        } finally {
            if (counted) {
                byAddress.computeIfPresent(peer, (address, count) -> count == 1 ? null : count - 1);
            }
            if (admitted) {
                finished();
            }
        }
    }

    private synchronized boolean admit() {
        if (draining) {
            return false;
        }
        inFlight++;
        return true;
    }

    private synchronized void finished() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /**
     * Turns new requests away and waits until the exchanges in progress have answered, at
     * most {@code graceMillis}: an event being written gets its acknowledgement, and a
     * stop with nothing in progress takes no time at all.
     *
     * @return true when every exchange finished in time
     */
    synchronized boolean drain(long graceMillis) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (inFlight > 0) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMillis <= 0) {
                return false;
            }
            wait(leftMillis);
        }
        return true;
    }

    private void dispatch(Route route, HttpExchange exchange) throws IOException {
        try {
            route.handler().handle(exchange);
        } catch (ConnectionDrop drop) {
            throw drop;
        } catch (IOException unreadable) {
            // A body the JDK server could not read (a chunked trailer, a client gone mid-body):
            // said in the log, and answered when the answer has not started yet.
            log.warnThrottled("unreadable_body", "request body could not be read, or the client left",
                    Field.route(route.path()), Field.outcome("unreadable_body"),
                    Field.reason(unreadable.getClass().getSimpleName()));
            if (exchange.getResponseCode() == -1) {
                exchange.getResponseHeaders().set("Connection", "close");
                Responses.error(exchange, 400, "request body could not be read");
            }
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
