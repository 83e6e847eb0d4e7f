package clinicrelay.app;

import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.http.Responses;
import clinicrelay.ingest.Capacity;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalHealth;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /health}. The status code says whether the relay takes webhooks: 200 while
 * the journal accepts writes and the capacity guard lets events in, 503 otherwise (after a
 * failed write until the next one succeeds; {@code "capacity":"over: heap"}). The status
 * word says whether a person is needed: {@code "degraded"} also while {@code "problems"}
 * lists codes (credentials refused, messages dead, the Zocdoc sweep failing), with 200:
 * a load balancer must keep sending webhooks to a relay whose texts fail. Details go to
 * the log and the alerts, not here: this route is unauthenticated.
 */
final class HealthHandler implements HttpHandler {
    static final String SERVICE = "clinic-relay";

    private final Journal journal;
    private final EventIngest ingest;
    private final Capacity capacity;
    private final DeliveryEngine engine;
    private final Attention attention;
    private final Clock clock;
    private final Instant started;

    HealthHandler(Journal journal, EventIngest ingest, Capacity capacity, DeliveryEngine engine, Attention attention, Clock clock) {
        this.journal = journal;
        this.ingest = ingest;
        this.capacity = capacity;
        this.engine = engine;
        this.attention = attention;
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
        boolean serving = health.writable() && refusal == null;
        JsonArray problems = new JsonArray();
        attention.current().forEach(problem -> problems.add(problem.code()));
        JsonObject body = new JsonObject()
                .put("status", serving && problems.size() == 0 ? "ok" : "degraded")
                .put("service", SERVICE)
                .put("version", Version.current())
                .put("journal", health.writable() ? "writable" : "failing")
                .put("capacity", refusal == null ? "ok" : "over: " + refusal)
                .put("events_stored", (long) ingest.storedEvents())
                .put("deliveries_pending", (long) engine.counts().getOrDefault(DeliveryState.PENDING, 0))
                .put("deliveries_dead", (long) engine.counts().getOrDefault(DeliveryState.DEAD, 0))
                .put("problems", problems)
                .put("uptime_seconds", Duration.between(started, clock.instant()).getSeconds());
        Responses.json(exchange, serving ? 200 : 503, body.toString());
    }
}
