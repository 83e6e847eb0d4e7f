package clinicrelay.zocdoc;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.http.BodyBudget;
import clinicrelay.http.HttpLimits;
import clinicrelay.http.RequestBodies;
import clinicrelay.http.Responses;
import clinicrelay.http.WhenUnavailable;
import clinicrelay.ingest.EventIngest;
import clinicrelay.ingest.OverCapacityException;
import clinicrelay.journal.JournalUnavailableException;
import clinicrelay.json.Json;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.signature.HeaderLookup;
import clinicrelay.signature.Verdict;
import clinicrelay.signature.WebhookVerifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/**
 * {@code POST /webhook} (and {@code /webhooks/zocdoc}): docs/webhooks.md "The Zocdoc receiver", in
 * its order — bounded raw body, signature over those exact bytes, strict JSON, normalise,
 * durable append, and only then 200. Each request ends in exactly one log line with the
 * event's type and ids, the outcome and the latency; never a body or a patient field.
 */
public final class ZocdocWebhookHandler implements HttpHandler {
    private final BodyBudget bodyBudget;
    private final WebhookVerifier verifier;
    private final EventIngest ingest;
    private final WhenUnavailable whenUnavailable;
    private final boolean detailsFetchable;
    private final Log log;
    /** Told of every request's source and outcome (the webhook counter of /metrics). */
    private final java.util.function.BiConsumer<String, String> outcomes;
    private final String source;
    private final Normaliser normaliser;

    /** Turns a verified body into the event to store. */
    public interface Normaliser {
        AppointmentEvent normalise(JsonObject payload, byte[] body, HeaderLookup headers);
    }

    /**
     * @param whenUnavailable   what a sender gets when its event cannot be stored or the server is busy: DROP_CONNECTION for Zocdoc (see WhenUnavailable)
     * @param detailsFetchable  whether Zocdoc API credentials are configured to fetch what thin events lack
     */
    public ZocdocWebhookHandler(BodyBudget bodyBudget, WebhookVerifier verifier, EventIngest ingest,
                                WhenUnavailable whenUnavailable, boolean detailsFetchable, Log log) {
        this(bodyBudget, verifier, ingest, whenUnavailable, detailsFetchable, log, (source, outcome) -> { });
    }

    /** @param outcomes told of each request's source and outcome, for metrics */
    public ZocdocWebhookHandler(BodyBudget bodyBudget, WebhookVerifier verifier, EventIngest ingest,
                                WhenUnavailable whenUnavailable, boolean detailsFetchable, Log log,
                                java.util.function.BiConsumer<String, String> outcomes) {
        this(bodyBudget, verifier, ingest, whenUnavailable, detailsFetchable, log, outcomes, ZocdocPayload.SOURCE,
                ZocdocPayload::normalise);
    }

    /**
     * {@code POST /webhooks/standard}: any Standard Webhooks sender (Svix, Hookdeck, the
     * reference libraries) with the full appointment shape, its signed {@code webhook-id} the
     * event id. Such senders retry on a 5xx, so an event that cannot be stored gets one.
     */
    public static ZocdocWebhookHandler standardWebhooks(BodyBudget bodyBudget, WebhookVerifier verifier, EventIngest ingest,
                                                        Log log, java.util.function.BiConsumer<String, String> outcomes) {
        return new ZocdocWebhookHandler(bodyBudget, verifier, ingest, WhenUnavailable.RESPOND_503, false, log, outcomes,
                STANDARD_SOURCE, (payload, body, headers) -> ZocdocPayload.standardWebhook(STANDARD_SOURCE, payload, body,
                        headers, headers.first(clinicrelay.signature.StandardWebhooksSignature.ID_HEADER).strip()));
    }

    /** The source name of events from /webhooks/standard. */
    public static final String STANDARD_SOURCE = "standard";

    private ZocdocWebhookHandler(BodyBudget bodyBudget, WebhookVerifier verifier, EventIngest ingest,
                                 WhenUnavailable whenUnavailable, boolean detailsFetchable, Log log,
                                 java.util.function.BiConsumer<String, String> outcomes, String source, Normaliser normaliser) {
        this.source = source;
        this.normaliser = normaliser;
        this.outcomes = outcomes;
        this.bodyBudget = bodyBudget;
        this.verifier = verifier;
        this.ingest = ingest;
        this.whenUnavailable = whenUnavailable;
        this.detailsFetchable = detailsFetchable;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        if (!"POST".equals(exchange.getRequestMethod())) {
            logOutcome("method_not_allowed", started);
            Responses.methodNotAllowed(exchange, "POST");
            return;
        }
        // Room is taken as the body arrives (a first chunk now, more as it comes), never for a
        // size merely declared: sockets that declare the largest body and send one byte hold one.
        try (BodyBudget.Reservation room = bodyBudget.tryReserve(RequestBodies.READ_CHUNK_BYTES)) {
            if (room == null) {
                logOutcome("body_budget_exhausted", started);
                whenUnavailable.answer(exchange, "server busy");
                return;
            }
            byte[] body;
            try {
                body = RequestBodies.readBounded(exchange, HttpLimits.WEBHOOK_BODY_BYTES_MAX, room);
            } catch (RequestBodies.OutOfBudget exhausted) {
                logOutcome("body_budget_exhausted", started);
                whenUnavailable.answer(exchange, "server busy");
                return;
            } catch (RequestBodies.TooLarge tooLarge) {
                logOutcome("too_large", started);
                RequestBodies.discardRest(exchange);
                exchange.getResponseHeaders().set("Connection", "close");
                Responses.error(exchange, 413, "body larger than " + HttpLimits.WEBHOOK_BODY_BYTES_MAX + " bytes");
                return;
            }
            verifyAndStore(exchange, body, started);
        }
    }

    private void verifyAndStore(HttpExchange exchange, byte[] body, long started) throws IOException {
        HeaderLookup headers = name -> exchange.getRequestHeaders().getFirst(name);
        Verdict verdict = verifier.verify(headers, body);
        if (!verdict.valid()) {
            logRejection("invalid_signature", started, Field.reason(verdict.scheme() + ": " + verdict.reason()));
            Responses.error(exchange, 401, "invalid signature");
            return;
        }
        JsonObject payload = parseObject(exchange, body, started);
        if (payload == null) {
            return;
        }
        AppointmentEvent event = normaliser.normalise(payload, body, headers);
        store(exchange, event, body, verdict.scheme(), started);
    }

    /** @return the payload, or null after answering 400 */
    private JsonObject parseObject(HttpExchange exchange, byte[] body, long started) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (JsonException notJson) {
            logOutcome("invalid_json", started);
            Responses.error(exchange, 400, "body is not valid JSON (" + notJson.getMessage() + ")");
            return null;
        }
        if (parsed instanceof JsonObject object) {
            return object;
        }
        logOutcome("not_an_object", started);
        Responses.error(exchange, 400, "body must be a JSON object");
        return null;
    }

    private void store(HttpExchange exchange, AppointmentEvent event, byte[] body, String scheme, long started)
            throws IOException {
        EventIngest.Outcome outcome;
        try {
            outcome = ingest.ingest(event, body, scheme);
        } catch (OverCapacityException full) {
            // Said once by the capacity guard; a refused flood must not flood the log as well.
            outcomes.accept(event.source(), "over_capacity");
            log.warnThrottled("over_capacity", "webhook refused: over capacity", Field.reason(full.getMessage()));
            whenUnavailable.answer(exchange, "server at capacity, retry later");
            return;
        } catch (JournalUnavailableException notStored) {
            outcomes.accept(event.source(), "not_stored");
            log.error("webhook", eventFields(event, "not_stored", started, Field.reason(notStored.getMessage())));
            whenUnavailable.answer(exchange, "event could not be stored, retry later");
            return;
        }
        boolean duplicate = outcome == EventIngest.Outcome.DUPLICATE;
        outcomes.accept(event.source(), duplicate ? "duplicate" : "accepted");
        Field[] fields = eventFields(event, duplicate ? "duplicate" : "accepted", started,
                Field.reason(event.problems().isEmpty() ? "-" : String.join(",", event.problems())));
        if (duplicate) {
            log.infoThrottled("duplicate", "webhook", fields); // anyone holding a signed body can repeat it
        } else {
            log.info("webhook", fields);
        }
        if (!duplicate && event.type() == EventType.UNKNOWN) {
            log.warn("event type not recognised: stored, no action", Field.eventId(event.eventId()),
                    Field.eventType(event.rawType()));
        }
        if (!duplicate && event.shape() == EventShape.THIN && !detailsFetchable) {
            log.warn("thin event stored but its details cannot be fetched: ZOCDOC_CLIENT_ID/ZOCDOC_CLIENT_SECRET not set",
                    Field.eventId(event.eventId()), Field.appointmentId(event.appointmentId()));
        }
        Responses.json(exchange, 200, duplicate ? "{\"received\":true,\"duplicate\":true}" : "{\"received\":true}");
    }

    private static Field[] eventFields(AppointmentEvent event, String outcome, long started, Field reason) {
        return new Field[] {
            Field.source(event.source()), Field.outcome(outcome), Field.eventType(event.type().wireName()),
            Field.eventId(event.eventId()), Field.appointmentId(event.appointmentId()),
            Field.latencyMillis(System.nanoTime() - started), reason
        };
    }

    private void logOutcome(String outcome, long started) {
        logRejection(outcome, started, Field.reason("-"));
    }

    /** A refused request: logged, but throttled per outcome, since anyone can send these. */
    private void logRejection(String outcome, long started, Field reason) {
        outcomes.accept(source, outcome);
        log.warnThrottled(outcome, "webhook", Field.source(source), Field.outcome(outcome), reason,
                Field.latencyMillis(System.nanoTime() - started));
    }
}
