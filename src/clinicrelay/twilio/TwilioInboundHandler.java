package clinicrelay.twilio;

import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.ReplyConfirmations;
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
 * of every text until START (or YES, UNSTOP) opts it back in; HELP gets a short answer;
 * C (or YES, CONFIRM) confirms the upcoming appointment the reminder was about; any other
 * text gets the clinic's number, once per number. Only single-word messages count, as at
 * Twilio itself. Opt-outs and confirmations are on disk before the answer, so none is
 * lost. Neither the number nor the text is logged.
 */
public final class TwilioInboundHandler implements HttpHandler {
    static final Set<String> STOP_WORDS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT");
    static final Set<String> START_WORDS = Set.of("START", "YES", "UNSTOP");
    static final Set<String> HELP_WORDS = Set.of("HELP", "INFO");
    /** A reply that confirms the appointment the reminder was about ("Reply C to confirm"). YES also opts back in. */
    static final Set<String> CONFIRM_WORDS = Set.of("C", "CONFIRM", "CONFIRMED", "Y", "YES");
    /** Longest wait for the engine to record an opt-out; Twilio waits 15 s for an answer. */
    static final long RECORD_WAIT_MILLIS_MAX = 10_000;

    private final TwilioCallbacks callbacks;
    private final DeliveryEngine engine;
    private final String clinicName;
    private final String callUs;
    private final Log log;
    private final RecentSids acted = new RecentSids();
    /** Numbers already told that replies are not read: told once, not at every text. */
    private final AnsweredNumbers answered = new AnsweredNumbers();

    /** @param clinicPhone CLINIC_PHONE, or null */
    public TwilioInboundHandler(String publicBaseUrl, String authToken, DeliveryEngine engine, String clinicName,
                                String clinicPhone, Log log) {
        this.callbacks = new TwilioCallbacks(publicBaseUrl, authToken, log);
        this.engine = engine;
        this.clinicName = clinicName;
        this.callUs = clinicPhone == null ? "please call the clinic" : "please call " + clinicPhone;
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
        } else if (from != null && CONFIRM_WORDS.contains(keyword)) {
            if (START_WORDS.contains(keyword) && !record(engine.optIn(from))) {
                outcome = "opt_in_not_recorded";
            } else {
                ReplyConfirmations.Result confirmed = confirm(from);
                outcome = confirmed == null ? "confirm_not_recorded" : confirmed == ReplyConfirmations.Result.CONFIRMED
                        ? "confirmed" : "confirm_no_appointment";
                reply = confirmed == ReplyConfirmations.Result.CONFIRMED ? clinicName + ": Thank you, your appointment is confirmed."
                        : confirmed == null ? null : clinicName + ": We found no upcoming appointment for this number; " + callUs + ".";
            }
        } else if (from != null && START_WORDS.contains(keyword)) {
            outcome = record(engine.optIn(from)) ? "opted_in" : "opt_in_not_recorded";
        } else if (HELP_WORDS.contains(keyword)) {
            outcome = "help";
            reply = clinicName + ": appointment messages. For help, " + callUs + ". " + Templates.STOP_LINE;
        } else if (from != null && answered.firstTime(from)) {
            outcome = "answered";
            reply = clinicName + ": This number does not read replies; " + callUs + ". " + Templates.STOP_LINE;
        }
        log.info("twilio inbound", Field.outcome(outcome));
        if (outcome.equals("opted_out") || outcome.equals("opted_in") || outcome.equals("confirmed")) {
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

    /** What a confirming reply did, or null when the journal did not record it (Twilio then sends it again). */
    private ReplyConfirmations.Result confirm(String from) {
        try {
            return engine.confirmedByReply(from).get(RECORD_WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException notRecorded) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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
