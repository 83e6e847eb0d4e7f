package clinicrelay.app;

import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.http.Responses;
import clinicrelay.ingest.Capacity;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalHealth;
import clinicrelay.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /health}: 200 {@code "ok"} while the journal accepts writes and the relay
 * takes new events, 503 {@code "degraded"} after a failed write until the next one
 * succeeds, or while the capacity guard refuses new events ({@code "capacity":"over: heap"}).
 * A write failure's detail goes to the log, not here: this route is unauthenticated.
 */
final class HealthHandler implements HttpHandler {
    static final String SERVICE = "clinic-relay";

    private final Journal journal;
    private final EventIngest ingest;
    private final Capacity capacity;
    private final DeliveryEngine engine;
    private final Clock clock;
    private final Instant started;

    HealthHandler(Journal journal, EventIngest ingest, Capacity capacity, DeliveryEngine engine, Clock clock) {
        this.journal = journal;
        this.ingest = ingest;
        this.capacity = capacity;
        this.engine = engine;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            Responses.methodNotAllowed(exchange, "GET, HEAD");
            return;
        }
        JournalHealth health = journal.health();
        String refusal = capacity.refusal();
        boolean ok = health.writable() && refusal == null;
        JsonObject body = new JsonObject()
                .put("status", ok ? "ok" : "degraded")
                .put("service", SERVICE)
                .put("version", Version.current())
                .put("journal", health.writable() ? "writable" : "failing")
                .put("capacity", refusal == null ? "ok" : "over: " + refusal)
                .put("events_stored", (long) ingest.storedEvents())
                .put("deliveries_pending", (long) engine.counts().getOrDefault(DeliveryState.PENDING, 0))
                .put("deliveries_dead", (long) engine.counts().getOrDefault(DeliveryState.DEAD, 0))
                .put("uptime_seconds", Duration.between(started, clock.instant()).getSeconds());
        Responses.json(exchange, ok ? 200 : 503, body.toString());
    }
}
