package clinicrelay.dashboard;

import clinicrelay.forward.ForwardLedger;
import clinicrelay.forward.ForwardStatus;
import clinicrelay.json.JsonBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code /dashboard/forwarding} and {@code /api/forwarding}: each forwarding target — on or
 * switched off, how far behind, why the last send failed — and the events it gave up on,
 * with buttons to send them again or switch the target back on. Ids and origins only: a
 * target's full URL may hold a token, and no event content is shown.
 */
final class ForwardingPage {
    /** Dead events shown per target on the page (the API lists them all, up to the ledger's bound). */
    static final int DEAD_SHOWN_MAX = 100;
    static final String ACTION_PATH = "/dashboard/forwarding/act";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private ForwardingPage() {
    }

    static String render(String clinicName, List<ForwardStatus> targets, String done, ZoneId zone) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")
                .append(Html.escape(clinicName)).append(" · forwarding</title><style>").append(DashboardPage.STYLE)
                .append("</style></head><body><main><header><div><h1>Forwarding</h1><div class=\"sub\">")
                .append("<a href=\"/dashboard\">← Dashboard</a></div></div></header>");
        if (done != null) {
            html.append("<p class=\"banner\">").append(Html.escape(done)).append("</p>");
        }
        if (targets.isEmpty()) {
            html.append("<section class=\"empty\"><h2>No targets</h2><p>Set FORWARD_URLS or FORWARD_KAFKA_REST_URL to"
                    + " send every stored event onward.</p></section>");
        }
        for (ForwardStatus status : targets) {
            html.append("<section><h2>").append(Html.escape(status.target().origin())).append(" <span class=\"sub\">")
                    .append(Html.escape(status.target().id())).append("</span></h2><p>")
                    .append(status.off() ? "Switched off: it answered 410 Gone. " : "")
                    .append(status.lastProblem() == null ? "" : "Last try failed: " + Html.escape(status.lastProblem()) + ". ")
                    .append(status.lagEvents()).append(" events waiting, the oldest for ").append(status.lagSeconds())
                    .append(" s; ").append(status.forwarded()).append(" sent since start.</p>");
            if (status.off() || status.lastProblem() != null) {
                html.append(button(status, "resume", status.off() ? "Switch back on" : "Try now"));
            }
            List<ForwardLedger.Dead> dead = status.dead();
            if (!dead.isEmpty()) {
                html.append(button(status, "retry", "Send the " + dead.size() + " given-up events again"))
                        .append("<div class=\"scroll\"><table><thead><tr><th>Event</th><th>Appointment</th><th>Why</th>"
                                + "<th>When</th></tr></thead><tbody>");
                for (ForwardLedger.Dead event : dead.subList(0, Math.min(dead.size(), DEAD_SHOWN_MAX))) {
                    String appointment = event.appointmentId() == null ? "–" : event.appointmentId();
                    html.append("<tr><td>").append(Html.escape(event.eventKey())).append("</td><td><a href=\"/dashboard/appointment?id=")
                            .append(Html.escape(URLEncoder.encode(appointment, StandardCharsets.UTF_8))).append("\">")
                            .append(Html.escape(appointment)).append("</a></td><td>").append(Html.escape(event.reason()))
                            .append("</td><td>").append(WHEN.format(event.at().atZone(zone))).append("</td></tr>");
                }
                html.append("</tbody></table></div>");
            }
            if (status.deadDropped() > 0) {
                html.append("<p class=\"sub\">").append(status.deadDropped()).append(" older given-up events are no longer"
                        + " listed; they are in the journal (clinic-relay journal dump).</p>");
            }
            html.append("</section>");
        }
        return html.append("<p class=\"sub\">Given-up events are sent again out of journal order; receivers dedupe"
                + " on webhook-id.</p></main></body></html>").toString();
    }

    private static String button(ForwardStatus status, String action, String label) {
        return "<form class=\"inline\" method=\"post\" action=\"" + ACTION_PATH + "\"><input type=\"hidden\" name=\"target\""
                + " value=\"" + Html.escape(status.target().id()) + "\"><input type=\"hidden\" name=\"action\" value=\""
                + action + "\"><button type=\"submit\">" + Html.escape(label) + "</button></form>";
    }

    static String json(List<ForwardStatus> targets) {
        JsonBuilder json = new JsonBuilder().beginObject().beginArray("targets");
        for (ForwardStatus status : targets) {
            json.beginObject().member("id", status.target().id()).member("kind", status.target().kind().name().toLowerCase(java.util.Locale.ROOT))
                    .member("origin", status.target().origin()).member("off", status.off())
                    .member("lag_events", status.lagEvents()).member("lag_seconds", status.lagSeconds())
                    .member("sent", status.forwarded()).member("last_problem", status.lastProblem())
                    .member("dead_dropped", status.deadDropped()).beginArray("dead");
            for (ForwardLedger.Dead dead : status.dead()) {
                json.beginObject().member("event_key", dead.eventKey()).member("appointment_id", dead.appointmentId())
                        .member("reason", dead.reason()).member("at", dead.at().toString()).endObject();
            }
            json.endArray().endObject();
        }
        return json.endArray().endObject().toText();
    }
}
