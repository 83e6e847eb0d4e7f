package clinicrelay.twilio;

import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.event.PhoneNumbers;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.template.Templates;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /twilio/inbound}: a patient's text. STOP and its synonyms opt the number out
 * of every text until START (or YES, UNSTOP) opts it back in; HELP gets a short answer.
 * Only single-word messages count, as at Twilio itself. The opt-out is on disk before the
 * answer, so a STOP is never lost. Neither the number nor the text is logged.
 */
public final class TwilioInboundHandler implements HttpHandler {
    static final Set<String> STOP_WORDS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT");
    static final Set<String> START_WORDS = Set.of("START", "YES", "UNSTOP");
    static final Set<String> HELP_WORDS = Set.of("HELP", "INFO");
    /** Longest wait for the engine to record an opt-out; Twilio waits 15 s for an answer. */
    static final long RECORD_WAIT_MILLIS_MAX = 10_000;

    private final TwilioCallbacks callbacks;
    private final DeliveryEngine engine;
    private final String clinicName;
    private final Log log;
    private final RecentSids acted = new RecentSids();

    public TwilioInboundHandler(String publicBaseUrl, String authToken, DeliveryEngine engine, String clinicName, Log log) {
        this.callbacks = new TwilioCallbacks(publicBaseUrl, authToken, log);
        this.engine = engine;
        this.clinicName = clinicName;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, String> params = callbacks.verified(exchange, "/twilio/inbound");
        if (params == null) {
            return;
        }
        String keyword = params.getOrDefault("Body", "").strip().toUpperCase(Locale.ROOT);
        String from = PhoneNumbers.toE164(params.get("From"));
        String sid = params.get("MessageSid");
        String outcome = "ignored";
        String reply = null;
        if (acted.seen(sid)) {
            outcome = "duplicate"; // a replay of a text already acted on: a STOP must not undo a later START
        } else if (from != null && STOP_WORDS.contains(keyword)) {
            outcome = record(engine.optOut(from, "inbound")) ? "opted_out" : "opt_out_not_recorded";
        } else if (from != null && START_WORDS.contains(keyword)) {
            outcome = record(engine.optIn(from)) ? "opted_in" : "opt_in_not_recorded";
        } else if (HELP_WORDS.contains(keyword)) {
            outcome = "help";
            reply = clinicName + ": appointment messages. For help, call the clinic. " + Templates.STOP_LINE;
        }
        log.info("twilio inbound", Field.outcome(outcome));
        if (outcome.equals("opted_out") || outcome.equals("opted_in")) {
            acted.acted(sid);
        }
        if (outcome.endsWith("not_recorded")) {
            // Twilio retries a failed webhook; an unrecorded STOP must come back.
            exchange.getResponseHeaders().set("Retry-After", "5");
            clinicrelay.http.Responses.error(exchange, 503, "not recorded, retry later");
            return;
        }
        twiml(exchange, reply);
    }

    /** True when recorded (or nothing needed recording: already opted out or in). */
    private static boolean record(java.util.concurrent.CompletableFuture<Boolean> change) {
        try {
            change.get(RECORD_WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException notRecorded) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An empty TwiML answer (no reply), or one reply message, XML-escaped. */
    private static void twiml(HttpExchange exchange, String reply) throws IOException {
        String xml = reply == null ? "<Response></Response>"
                : "<Response><Message>" + reply.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                + "</Message></Response>";
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
