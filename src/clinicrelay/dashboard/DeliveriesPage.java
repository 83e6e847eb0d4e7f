package clinicrelay.dashboard;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /dashboard/deliveries?state=failed|dead}: the messages that did not go out, grouped
 * by why, each with a retry button and each group with "retry all" — plain HTML forms,
 * no script. Masked recipients only.
 */
final class DeliveriesPage {
    private DeliveriesPage() {
    }

    static String render(String clinicName, DeliveryState state, List<DeliveryView> rows, int limit, Integer retried,
                         ZoneId zone) {
        String back = "/dashboard/deliveries?state=" + state.wireName();
        StringBuilder html = new StringBuilder(32_768);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")
                .append(Html.escape(clinicName)).append(" · ").append(state.wireName()).append(" messages</title><style>")
                .append(DashboardPage.STYLE).append("</style></head><body><main><header><div><h1>")
                .append(state == DeliveryState.DEAD ? "Messages that gave up after retries" : "Messages refused")
                .append("</h1><div class=\"sub\"><a href=\"/dashboard\">← Dashboard</a></div></div><nav>")
                .append("<a href=\"/dashboard/deliveries?state=failed\"").append(state == DeliveryState.FAILED ? " class=\"on\"" : "")
                .append(">Refused</a><a href=\"/dashboard/deliveries?state=dead\"").append(state == DeliveryState.DEAD ? " class=\"on\"" : "")
                .append(">Gave up</a></nav></header>");
        if (retried != null) {
            html.append("<p class=\"banner\">").append(retried).append(retried == 1 ? " message" : " messages")
                    .append(" will be tried again now, with a fresh set of retries.</p>");
        }
        if (rows.isEmpty()) {
            html.append("<section class=\"empty\"><h2>None</h2><p>Every message went out or is on its way.</p></section>");
        }
        for (Map.Entry<String, List<DeliveryView>> group : byReason(rows).entrySet()) {
            String reason = group.getKey();
            html.append("<section><h2>").append(Html.escape(reason)).append(" <span class=\"sub\">")
                    .append(group.getValue().size()).append("</span></h2><p class=\"sub\">").append(Html.escape(advice(reason)))
                    .append("</p><form class=\"inline\" method=\"post\" action=\"").append(DeliveryRows.RETRY_PATH)
                    .append("\"><input type=\"hidden\" name=\"state\" value=\"").append(state.wireName())
                    .append("\"><input type=\"hidden\" name=\"reason\" value=\"").append(Html.escape(reason))
                    .append("\"><input type=\"hidden\" name=\"back\" value=\"").append(back)
                    .append("\"><button type=\"submit\">Retry all ").append(group.getValue().size())
                    .append(" for this reason</button></form><div class=\"scroll\"><table><thead><tr><th>Message</th>"
                            + "<th>Appointment</th><th>To</th><th class=\"n\">Tries</th><th>Due</th><th></th></tr></thead><tbody>");
            for (DeliveryView row : group.getValue()) {
                html.append("<tr><td>").append(Html.escape(DeliveryRows.kind(row))).append("</td><td><a href=\"/dashboard/appointment?id=")
                        .append(Html.escape(java.net.URLEncoder.encode(row.appointmentId(), java.nio.charset.StandardCharsets.UTF_8)))
                        .append("\">").append(Html.escape(row.appointmentId())).append("</a></td><td>")
                        .append(Html.escape(row.maskedRecipient() == null ? "–" : row.maskedRecipient())).append("</td><td class=\"n\">")
                        .append(row.attempts()).append("</td><td>").append(Html.escape(DeliveryRows.when(row, zone)))
                        .append("</td><td>").append(DeliveryRows.retryButton(row, back)).append("</td></tr>");
            }
            html.append("</tbody></table></div></section>");
        }
        if (rows.size() >= limit) {
            html.append("<p class=\"sub\">The oldest ").append(limit).append(" are shown.</p>");
        }
        return html.append("<p class=\"sub\">Recipients are masked; no message text is shown.</p></main></body></html>").toString();
    }

    static Map<String, List<DeliveryView>> byReason(List<DeliveryView> rows) {
        Map<String, List<DeliveryView>> groups = new LinkedHashMap<>();
        for (DeliveryView row : rows) {
            groups.computeIfAbsent(reasonOf(row), r -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    /** The reason a group is keyed by, and what "retry all for this reason" matches. */
    static String reasonOf(DeliveryView row) {
        return row.lastError() == null || row.lastError().isBlank() ? "no reason recorded" : row.lastError();
    }

    /** What to do first, for the reasons a clinic meets. */
    static String advice(String reason) {
        if (reason.contains("http 401") || reason.contains("http 403")) {
            return "The provider refused our credentials: fix them (check-config --probe says which), restart, then retry.";
        }
        if (reason.contains("21211") || reason.contains("21614") || reason.contains("not a valid")) {
            return "The number or address looks wrong: correct it in the booking system; a retry alone will fail again.";
        }
        if (reason.contains("not configured")) {
            return "This channel was off when the message was due: set its credentials, restart, then retry.";
        }
        return "Retry once the cause is fixed; each retry starts a fresh set of attempts.";
    }
}
