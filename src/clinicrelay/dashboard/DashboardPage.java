package clinicrelay.dashboard;

import clinicrelay.analytics.StatsReport;
import clinicrelay.delivery.DeliveryState;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /dashboard}: one server-rendered page, no script and no external asset, readable
 * on a phone. It shows counts, rates and provider names; never a patient (no names, phones,
 * e-mails, birth dates, visit reasons), not even in comments or attributes.
 */
final class DashboardPage {
    static final List<Integer> WINDOWS = List.of(7, 30, 90);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.US);
    private static final String STYLE = "*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"
            + "'Segoe UI',Roboto,sans-serif;color:#1d2733;background:#f5f7fa}main{max-width:980px;margin:0 auto;padding:16px}"
            + "header{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:8px}"
            + "h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:0 0 8px}.sub{color:#5b6b7c;font-size:13px}"
            + "nav a{display:inline-block;padding:4px 12px;margin-left:4px;border-radius:14px;text-decoration:none;color:#2f6db5;"
            + "border:1px solid #c9d6e6;background:#fff}nav a.on{background:#2f6db5;color:#fff;border-color:#2f6db5}"
            + ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin:12px 0}"
            + ".card{background:#fff;border-radius:10px;padding:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}"
            + ".card b{display:block;font-size:26px;line-height:1.2}.card span{color:#5b6b7c;font-size:13px}"
            + "section{background:#fff;border-radius:10px;padding:14px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}"
            + ".chart{width:100%;height:auto}.grid{stroke:#e3e8ee}.axis{font-size:11px;fill:#5b6b7c}"
            + ".legend span{display:inline-block;margin-right:14px;font-size:13px}.legend i{display:inline-block;width:10px;"
            + "height:10px;border-radius:2px;margin-right:5px}table{width:100%;border-collapse:collapse;font-size:14px}"
            + "th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #edf0f3}td.n,th.n{text-align:right}"
            + ".empty{text-align:center;padding:40px 16px;color:#5b6b7c}.warn{color:#c0392b}a{color:#2f6db5}"
            + ".scroll{overflow-x:auto}.scroll .chart{min-width:600px}";

    private DashboardPage() {
    }

    static String render(StatsReport report, Map<DeliveryState, Integer> deliveries, String clinicName) {
        StringBuilder html = new StringBuilder(32_768);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(Html.escape(clinicName)).append(" · appointments</title><style>").append(STYLE)
                .append("</style></head><body><main><header><div><h1>").append(Html.escape(clinicName))
                .append("</h1><div class=\"sub\">Last ").append(report.days()).append(" days · ")
                .append(Html.escape(DATE.format(report.from()))).append(" – ").append(Html.escape(DATE.format(report.to())))
                .append(" · times in ").append(Html.escape(report.zone().getId())).append("</div></div><nav aria-label=\"Window\">");
        for (int window : WINDOWS) {
            html.append("<a href=\"/dashboard?days=").append(window).append('"').append(window == report.days() ? " class=\"on\"" : "")
                    .append('>').append(window).append(" days</a>");
        }
        html.append("</nav></header>");
        if (report.isEmpty()) {
            html.append("<section class=\"empty\"><h2>No appointments yet</h2><p>Numbers appear here as soon as booking "
                    + "events arrive. Nothing has been received in the last ").append(report.days())
                    .append(" days.</p><p class=\"sub\">Send a test event with <code>java -jar clinic-relay.jar send-test</code>"
                            + " to see it work.</p></section>");
        } else {
            headline(html, report);
            html.append("<section><h2>Appointments per day</h2><div class=\"legend\">")
                    .append(legend(Charts.CREATED_COLOUR, "Booked")).append(legend(Charts.CANCELLED_COLOUR, "Cancelled"))
                    .append(legend(Charts.NO_SHOW_COLOUR, "No-show")).append("</div>")
                    .append("<div class=\"scroll\">").append(Charts.dailyVolume(report.daily())).append("</div></section>");
            heatMapSection(html, "When patients book", report.bookingsByHourOfWeek(), "bookings-title",
                    "Bookings by day of week and hour", "bookings");
            heatMapSection(html, "Busiest visit times", report.visitsByHourOfWeek(), "visits-title",
                    "Visits by day of week and hour", "visits");
            providers(html, report.providers());
            reminders(html, report.reminders());
        }
        problems(html, deliveries);
        html.append("<p class=\"sub\">No patient data is shown here. Figures as JSON: <a href=\"/api/stats?days=")
                .append(report.days()).append("\">/api/stats</a>.</p></main></body></html>");
        return html.toString();
    }

    private static void headline(StringBuilder html, StatsReport report) {
        StatsReport.Totals t = report.totals();
        html.append("<div class=\"cards\">")
                .append(card(Integer.toString(t.created()), "booked"))
                .append(card(t.cancelled() + " <small>(" + percent(t.cancellationRate()) + ")</small>", "cancelled"))
                .append(card(t.noShows() + " <small>(" + percent(t.noShowRate()) + ")</small>", "no-shows"))
                .append(card(Integer.toString(t.checkedIn()), "checked in"))
                .append(card(Integer.toString(t.rescheduled()), "rescheduled"))
                .append(card(t.leadTimeDaysAverage() == null ? "–" : String.format(Locale.ROOT, "%.1f d", t.leadTimeDaysAverage()),
                        "booked ahead, on average"))
                .append("</div>");
    }

    private static void heatMapSection(StringBuilder html, String heading, int[][] grid, String id, String title, String noun) {
        html.append("<section><h2>").append(Html.escape(heading)).append("</h2><div class=\"scroll\">")
                .append(Charts.heatMap(grid, id, title, noun)).append("</div><p class=\"sub\">Darker squares: more ")
                .append(Html.escape(noun)).append(". ").append(Html.escape(Charts.peak(grid, noun))).append("</p></section>");
    }

    private static void providers(StringBuilder html, List<StatsReport.Provider> providers) {
        html.append("<section><h2>Providers <span class=\"sub\">last 30 days</span></h2>");
        if (providers.isEmpty()) {
            html.append("<p class=\"sub\">No bookings in the last 30 days.</p></section>");
            return;
        }
        html.append("<table><thead><tr><th>Provider</th><th class=\"n\">Booked</th><th class=\"n\">Cancelled</th>"
                + "<th class=\"n\">No-shows</th></tr></thead><tbody>");
        for (StatsReport.Provider provider : providers) {
            html.append("<tr><td>").append(Html.escape(provider.name() != null ? provider.name() : provider.id()))
                    .append("</td><td class=\"n\">").append(provider.appointments()).append("</td><td class=\"n\">")
                    .append(provider.cancellations()).append("</td><td class=\"n\">").append(provider.noShows())
                    .append("</td></tr>");
        }
        html.append("</tbody></table></section>");
    }

    private static void reminders(StringBuilder html, StatsReport.Reminders r) {
        html.append("<section><h2>Reminders</h2><div class=\"cards\">")
                .append(card(Integer.toString(r.sent()), "sent"))
                .append(card(Integer.toString(r.delivered()), "delivered"))
                .append(card(Integer.toString(r.failed()), "failed"))
                .append(card(Integer.toString(r.optedOut()), "numbers opted out"))
                .append("</div><p>No-show rate with a reminder: <b>").append(percent(r.noShowRateReminded()))
                .append("</b> · without: <b>").append(percent(r.noShowRateNotReminded())).append("</b></p></section>");
    }

    private static void problems(StringBuilder html, Map<DeliveryState, Integer> counts) {
        int dead = counts.getOrDefault(DeliveryState.DEAD, 0);
        int failed = counts.getOrDefault(DeliveryState.FAILED, 0);
        int pending = counts.getOrDefault(DeliveryState.PENDING, 0);
        html.append("<section><h2>Failed deliveries</h2><p>");
        if (dead + failed == 0) {
            html.append("None. ");
        } else {
            html.append("<span class=\"warn\">").append(dead).append(" gave up after retries, ").append(failed)
                    .append(" refused.</span> ");
        }
        html.append(pending).append(" waiting to go out.</p><p><a href=\"/api/deliveries?state=dead\">Dead</a> · "
                + "<a href=\"/api/deliveries?state=failed\">Failed</a> · <a href=\"/api/deliveries?state=pending\">Pending</a>"
                + " <span class=\"sub\">(retry one with <code>POST /api/deliveries/{id}/retry</code>)</span></p></section>");
    }

    private static String card(String value, String label) {
        return "<div class=\"card\"><b>" + value + "</b><span>" + Html.escape(label) + "</span></div>";
    }

    private static String legend(String colour, String label) {
        return "<span><i style=\"background:" + colour + "\"></i>" + Html.escape(label) + "</span>";
    }

    private static String percent(Double rate) {
        return rate == null ? "–" : String.format(Locale.ROOT, "%.0f%%", rate * 100);
    }
}
