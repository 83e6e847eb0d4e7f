package clinicrelay.dashboard;

import clinicrelay.delivery.DeliveryView;
import clinicrelay.planning.Appointment;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * {@code /dashboard/appointment?id=...}: one appointment's messages, their states and times,
 * recipients masked — the answer to "did she get my text?". Looked up by appointment id
 * only: there is deliberately no search by name or number.
 */
final class AppointmentPage {
    /** Longest appointment id looked up (Zocdoc's are a few dozen characters). */
    static final int ID_CHARS_MAX = 128;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE MMM d, yyyy, h:mm a", Locale.US);

    private AppointmentPage() {
    }

    /** @param appointment null when the relay holds nothing about it (unknown, or long past) */
    static String render(String clinicName, String id, Appointment appointment, List<DeliveryView> messages, boolean confirmed,
                         ZoneId zone) {
        String back = "/dashboard/appointment?id=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")
                .append(Html.escape(clinicName)).append(" · appointment</title><style>").append(DashboardPage.STYLE)
                .append("</style></head><body><main><header><div><h1>Appointment ").append(Html.escape(id))
                .append("</h1><div class=\"sub\"><a href=\"/dashboard\">← Dashboard</a></div></div></header>")
                .append("<form class=\"inline\" method=\"get\" action=\"/dashboard/appointment\"><label>Appointment id <input"
                        + " name=\"id\" required maxlength=\"").append(ID_CHARS_MAX).append("\" value=\"").append(Html.escape(id))
                .append("\"></label><button type=\"submit\">Look up</button></form><section>");
        if (appointment == null && messages.isEmpty()) {
            html.append("<h2>Not found</h2><p>The relay holds nothing for this id: it never arrived, or the visit is more"
                    + " than a few days past (messages are kept 30 days after their appointment when they failed).</p>");
        } else {
            if (appointment != null) {
                html.append("<p><b>").append(Html.escape(status(appointment))).append("</b>");
                if (appointment.start() != null) {
                    html.append(" · ").append(Html.escape(WHEN.format(appointment.start().atZoneSameInstant(appointment.zone(zone)))));
                }
                if (appointment.providerName() != null) {
                    html.append(" · ").append(Html.escape(appointment.providerName()));
                }
                html.append(confirmed ? " · <b>confirmed by the patient's reply</b>" : "").append("</p>");
            }
            html.append("<h2>Messages</h2>");
            if (messages.isEmpty()) {
                html.append("<p class=\"sub\">None planned (no consent, no number or address, or the channel is off).</p>");
            } else {
                html.append("<div class=\"scroll\"><table><thead><tr><th>Message</th><th>State</th><th>To</th>"
                        + "<th class=\"n\">Tries</th><th>Due or sent</th><th></th></tr></thead><tbody>");
                for (DeliveryView row : messages) {
                    html.append("<tr><td>").append(Html.escape(DeliveryRows.kind(row))).append("</td><td>")
                            .append(Html.escape(DeliveryRows.state(row))).append("</td><td>")
                            .append(Html.escape(row.maskedRecipient() == null ? "–" : row.maskedRecipient()))
                            .append("</td><td class=\"n\">").append(row.attempts()).append("</td><td>")
                            .append(Html.escape(DeliveryRows.when(row, zone))).append("</td><td>")
                            .append(DeliveryRows.retryButton(row, back)).append("</td></tr>");
                }
                html.append("</tbody></table></div>");
            }
        }
        return html.append("</section><p class=\"sub\">Recipients are masked; no message text is shown.</p></main></body></html>")
                .toString();
    }

    private static String status(Appointment appointment) {
        return switch (appointment.status()) {
            case BOOKED -> "Booked";
            case CANCELLED -> "Cancelled";
            case CHECKED_IN -> "Checked in";
            case NO_SHOW -> "No-show";
        };
    }
}
