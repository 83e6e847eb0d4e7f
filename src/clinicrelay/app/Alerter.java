package clinicrelay.app;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.channel.SendGridEmail;
import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.OutgoingMessage;
import clinicrelay.json.JsonBuilder;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Channel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tells a person when a new problem appears ({@link Attention}): one message listing what
 * is new, to ALERT_EMAIL (through the clinic's SendGrid) and/or ALERT_WEBHOOK_URL (a JSON
 * {@code {"text": ...}} POST, what Slack and Teams incoming webhooks take). A problem is
 * told once while it lasts; one that clears and comes back is told again, at most every
 * {@link #REPEAT_AFTER}; never more than {@link #MESSAGES_PER_HOUR_MAX} messages an hour.
 * Problems hold no patient data, so neither do alerts.
 */
final class Alerter {
    /** How often problems are looked at. */
    static final Duration CHECK_EVERY = Duration.ofMinutes(1);
    /** The first look, after the start-up probes had time to answer. */
    static final Duration FIRST_CHECK_AFTER = Duration.ofSeconds(30);
    /** A problem that went away and came back is told again no sooner than this. */
    static final Duration REPEAT_AFTER = Duration.ofHours(6);
    /** Alert messages per rolling hour, whatever happens: a flapping problem must not flood a phone. */
    static final int MESSAGES_PER_HOUR_MAX = 4;

    /** Where an alert goes: true once the far end took it. */
    interface Sink {
        boolean send(String subject, String text) throws InterruptedException;
    }

    private final Supplier<List<Attention.Problem>> problems;
    private final List<Sink> sinks;
    private final String clinicName;
    private final Clock clock;
    private final Log log;
    /** Problem code → when it was last told; one entry per code there is (a handful). */
    private final Map<String, Instant> told = new HashMap<>();
    /** Codes present at the last look: a code absent then and present now is new. */
    private List<String> present = List.of();
    private final Deque<Instant> sentInLastHour = new ArrayDeque<>();

    /** @param problems what needs a person now ({@link Attention#current}) */
    Alerter(Supplier<List<Attention.Problem>> problems, List<Sink> sinks, String clinicName, Clock clock, Log log) {
        this.problems = problems;
        this.sinks = List.copyOf(sinks);
        this.clinicName = clinicName;
        this.clock = clock;
        this.log = log;
    }

    /** One look: tells what is new (and allowed), remembers what was told. Timer thread only. */
    synchronized void check() throws InterruptedException {
        Instant now = clock.instant();
        List<Attention.Problem> fresh = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        List<String> unsent = new ArrayList<>();
        for (Attention.Problem problem : problems.get()) {
            codes.add(problem.code());
            Instant last = told.get(problem.code());
            if (present.contains(problem.code()) && last != null) {
                continue; // told, and still there since
            }
            if (last == null || Duration.between(last, now).compareTo(REPEAT_AFTER) >= 0) {
                fresh.add(problem);
            } else {
                unsent.add(problem.code()); // back too soon to tell again: still new once REPEAT_AFTER has passed
            }
        }
        if (!fresh.isEmpty()) {
            while (!sentInLastHour.isEmpty() && Duration.between(sentInLastHour.peekFirst(), now).toHours() >= 1) {
                sentInLastHour.removeFirst();
            }
            if (sentInLastHour.size() >= MESSAGES_PER_HOUR_MAX) {
                log.warn("alert held back: " + MESSAGES_PER_HOUR_MAX + " already sent this hour", Field.count("problems", fresh.size()));
                fresh.forEach(problem -> unsent.add(problem.code()));
            } else if (tell(fresh)) {
                sentInLastHour.addLast(now);
                fresh.forEach(problem -> told.put(problem.code(), now));
            } else {
                fresh.forEach(problem -> unsent.add(problem.code()));
            }
        }
        codes.removeAll(unsent); // not told yet: still new at the next look
        present = codes;
    }

    private boolean tell(List<Attention.Problem> fresh) throws InterruptedException {
        StringBuilder text = new StringBuilder("clinic-relay at ").append(clinicName).append(" needs attention:");
        for (Attention.Problem problem : fresh) {
            text.append("\n- ").append(problem.text());
        }
        text.append("\nDetails: the relay's log, /health and the dashboard.");
        String subject = "clinic-relay: " + fresh.size() + (fresh.size() == 1 ? " new problem" : " new problems");
        boolean anyTook = false;
        for (Sink sink : sinks) {
            anyTook |= sink.send(subject, text.toString());
        }
        log.warn("alert sent" + (anyTook ? "" : " nowhere: every alert destination failed"),
                Field.reason(String.join(",", fresh.stream().map(Attention.Problem::code).toList())));
        return anyTook;
    }

    /** ALERT_WEBHOOK_URL: Slack's and Teams' incoming webhooks both take {@code {"text": "..."}}. */
    static Sink webhook(HttpClient http, URI url, Log log) {
        return (subject, text) -> {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(HttpAnswers.REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonBuilder().beginObject()
                            .member("text", subject + "\n" + text).endObject().toText()))
                    .build();
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (!HttpAnswers.isSuccess(status)) {
                    log.warn("alert webhook refused the alert", Field.reason("http " + status));
                }
                return HttpAnswers.isSuccess(status);
            } catch (IOException unreachable) {
                log.warn("alert webhook could not be reached", Field.reason(unreachable.getClass().getSimpleName()));
                return false;
            }
        };
    }

    /** ALERT_EMAIL, through the clinic's SendGrid account. */
    static Sink email(SendGridEmail sendgrid, String to, Clock clock, Log log) {
        return (subject, text) -> {
            AttemptResult result = sendgrid.send(new OutgoingMessage("alert-" + clock.millis(), 1, Channel.EMAIL, to, subject, text));
            if (!(result instanceof AttemptResult.Sent)) {
                log.warn("alert e-mail not taken by sendgrid", Field.reason(result.toString()));
            }
            return result instanceof AttemptResult.Sent;
        };
    }
}
