package clinicrelay.dashboard;

import clinicrelay.analytics.StatsReport;
import clinicrelay.delivery.DeliveryState;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /dashboard}: one server-rendered page, no script and no external asset, readable
 * on a phone (the daily chart opens on its newest days, the heat maps say they scroll). It
 * shows counts, rates and provider names; never a patient (no names, phones, e-mails, birth
 * dates, visit reasons), not even in comments or attributes.
 */
final class DashboardPage {
    /** Beyond this many days the chart shows weeks: a year of daily bars is a grey blur on a phone. */
    static final int DAILY_BARS_MAX = 120;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.US);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d", Locale.US);
    static final String STYLE = "*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"
            + "'Segoe UI',Roboto,sans-serif;color:#1d2733;background:#f5f7fa}main{max-width:980px;margin:0 auto;padding:16px}"
            + "header{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:8px}"
            + "h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:0 0 8px}.sub{color:#5b6b7c;font-size:13px}"
            + "nav a{display:inline-block;padding:4px 12px;margin:2px 0 2px 4px;border-radius:14px;text-decoration:none;"
            + "color:#2f6db5;border:1px solid #c9d6e6;background:#fff}nav a.on{background:#2f6db5;color:#fff;border-color:#2f6db5}"
            + "form.inline{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0}input,button{font:inherit;"
            + "padding:3px 8px;border:1px solid #c9d6e6;border-radius:6px;background:#fff}button{color:#2f6db5;cursor:pointer}"
            + ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:12px 0}"
            + ".card{background:#fff;border-radius:10px;padding:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}"
            + ".card b{display:block;font-size:26px;line-height:1.2}.card span{color:#5b6b7c;font-size:13px}"
            + ".card em{display:block;font-style:normal;color:#5b6b7c;font-size:12px;margin-top:4px}"
            + "section{background:#fff;border-radius:10px;padding:14px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}"
            + ".chart{width:100%;height:auto}.grid{stroke:#e3e8ee}.axis{font-size:11px;fill:#5b6b7c}"
            + ".legend span{display:inline-block;margin-right:14px;font-size:13px}.legend i{display:inline-block;width:10px;"
            + "height:10px;border-radius:2px;margin-right:5px}table{width:100%;border-collapse:collapse;font-size:14px}"
            + "th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #edf0f3}td.n,th.n{text-align:right}"
            + ".empty{text-align:center;padding:40px 16px;color:#5b6b7c}.warn{color:#c0392b}a{color:#2f6db5}"
            + ".banner{background:#fff4e5;border:1px solid #f0c36d;border-radius:10px;padding:10px 14px;margin:12px 0}"
            + ".scroll{overflow-x:auto}.scroll .chart{min-width:600px}.newest{direction:rtl}.newest>*{direction:ltr}"
            + ".hint{display:none;color:#5b6b7c;font-size:13px;margin:4px 0 0}"
            + "@media (max-width:640px){.hint{display:block}}";

    /** Everything the page shows. @param zoneSet false when CLINIC_TIMEZONE is unset (a banner says so) */
    record View(StatsReport report, Window window, Map<DeliveryState, Integer> deliveries, Upcoming upcoming,
                String clinicName, boolean zoneSet) {
    }

    private DashboardPage() {
    }

    static String render(View view) {
        StatsReport report = view.report();
        Window window = view.window();
        StringBuilder html = new StringBuilder(65_536);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(Html.escape(view.clinicName())).append(" · appointments</title><style>").append(STYLE)
                .append("</style></head><body><main><header><div><h1>").append(Html.escape(view.clinicName()))
                .append("</h1><div class=\"sub\">").append(Html.escape(capitalised(window.label()))).append(" · ")
                .append(Html.escape(DATE.format(report.from()))).append(" – ").append(Html.escape(DATE.format(report.to())))
                .append(" · times in ").append(Html.escape(report.zone().getId())).append("</div></div><nav aria-label=\"Window\">");
        for (int preset : Window.PRESETS) {
            html.append("<a href=\"/dashboard?days=").append(preset).append('"')
                    .append(Integer.valueOf(preset).equals(window.presetDays()) ? " class=\"on\"" : "")
                    .append('>').append(preset == 365 ? "1 year" : preset + " days").append("</a>");
        }
        html.append("</nav></header><form class=\"inline\" method=\"get\" action=\"/dashboard\"><label>From <input type=\"date\""
                + " name=\"from\" value=\"").append(report.from()).append("\"></label><label>to <input type=\"date\" name=\"to\""
                + " value=\"").append(report.to()).append("\"></label><button type=\"submit\">Show</button>")
                .append("<a href=\"/api/stats.csv?").append(window.query()).append("\">Download the daily figures (CSV)</a></form>");
        if (!view.zoneSet()) {
            html.append("<p class=\"banner\"><b>CLINIC_TIMEZONE is not set.</b> Days and hours here are counted in UTC, so"
                    + " a clinic in New York sees its mornings five hours late. Set it to the clinic's IANA zone (for example"
                    + " <code>America/New_York</code>) and restart; the figures start again in that zone.</p>");
        }
        html.append("<form class=\"inline\" method=\"get\" action=\"/dashboard/appointment\"><label>Did a patient get our"
                + " messages? Appointment id <input name=\"id\" required maxlength=\"").append(AppointmentPage.ID_CHARS_MAX)
                .append("\"></label><button type=\"submit\">Look up</button></form>");
        if (report.isEmpty()) {
            html.append("<section class=\"empty\"><h2>No appointments yet</h2><p>Numbers appear here as soon as booking "
                    + "events arrive. Nothing has been received in the ").append(Html.escape(window.label()))
                    .append(".</p><p class=\"sub\">Send a test event with <code>java -jar clinic-relay.jar send-test</code>"
                            + " to see it work.</p></section>");
        } else {
            headline(html, report, window);
            daily(html, report);
            heatMapSection(html, "When patients book", report.bookingsByHourOfWeek(), "bookings-title",
                    "Bookings by day of week and hour", "bookings");
            heatMapSection(html, "Busiest visit times", report.visitsByHourOfWeek(), "visits-title",
                    "Visits by day of week and hour", "visits");
            providers(html, report.providers(), window);
            reminders(html, report, window);
        }
        upcoming(html, view.upcoming());
        problems(html, view.deliveries());
        html.append("<p class=\"sub\">No patient data is shown here. Figures as JSON: <a href=\"/api/stats?")
                .append(window.query()).append("\">/api/stats</a>.</p></main></body></html>");
        return html.toString();
    }

    private static void headline(StringBuilder html, StatsReport report, Window window) {
        StatsReport.Totals t = report.totals();
        StatsReport.Totals p = report.previous().totals();
        String before = window.previousLabel();
        html.append("<div class=\"cards\">")
                .append(card(Integer.toString(t.created()), "booked", before + ": " + p.created()))
                .append(card(t.cancelled() + " <small>(" + percent(t.cancellationRate()) + ")</small>", "cancelled",
                        "of " + t.settled() + " appointments that were cancelled, attended or missed in this window; "
                                + before + ": " + percent(p.cancellationRate())))
                .append(card(t.noShows() + " <small>(" + percent(t.noShowRate()) + ")</small>", "no-shows",
                        "of " + (t.noShows() + t.checkedIn()) + " visits due; " + before + ": " + percent(p.noShowRate())))
                .append(card(Integer.toString(t.checkedIn()), "checked in", before + ": " + p.checkedIn()))
                .append(card(Integer.toString(t.rescheduled()), "rescheduled", before + ": " + p.rescheduled()))
                .append(card(days(t.leadTimeDaysAverage()), "booked ahead, on average", before + ": " + days(p.leadTimeDaysAverage())))
                .append("</div>");
    }

    /** Bars per day (per week beyond {@link #DAILY_BARS_MAX} days); on a phone it opens on the newest. */
    private static void daily(StringBuilder html, StatsReport report) {
        boolean weekly = report.daily().size() > DAILY_BARS_MAX;
        html.append("<section><h2>Appointments per ").append(weekly ? "week" : "day").append("</h2><div class=\"legend\">")
                .append(legend(Charts.CREATED_COLOUR, "Booked")).append(legend(Charts.CANCELLED_COLOUR, "Cancelled"))
                .append(legend(Charts.NO_SHOW_COLOUR, "No-show")).append("</div>")
                .append("<div class=\"scroll newest\">").append(Charts.dailyVolume(weekly ? weeks(report.daily()) : report.daily()))
                .append("</div><p class=\"hint\">Newest on the right; scroll left for earlier days.</p></section>");
    }

    /** The days summed by seven, the last group ending on the window's last day. */
    static List<StatsReport.Day> weeks(List<StatsReport.Day> days) {
        List<StatsReport.Day> weeks = new ArrayList<>();
        for (int end = days.size(); end > 0; end -= 7) {
            int start = Math.max(0, end - 7);
            int[] sum = new int[7];
            for (StatsReport.Day day : days.subList(start, end)) {
                int[] counts = {day.created(), day.cancelled(), day.rescheduled(), day.checkedIn(), day.noShows(),
                    day.remindersSent(), day.confirmed()};
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += counts[i];
                }
            }
            weeks.add(0, new StatsReport.Day(days.get(start).date(), sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6]));
        }
        return weeks;
    }

    private static void heatMapSection(StringBuilder html, String heading, int[][] grid, String id, String title, String noun) {
        html.append("<section><h2>").append(Html.escape(heading)).append("</h2><div class=\"scroll\">")
                .append(Charts.heatMap(grid, id, title, noun)).append("</div><p class=\"hint\">Scroll sideways for all 24 hours"
                + " →</p><p class=\"sub\">Darker squares: more ")
                .append(Html.escape(noun)).append(". ").append(Html.escape(Charts.peak(grid, noun))).append("</p></section>");
    }

    private static void providers(StringBuilder html, List<StatsReport.Provider> providers, Window window) {
        html.append("<section><h2>Providers <span class=\"sub\">").append(Html.escape(window.label())).append("</span></h2>");
        if (providers.isEmpty()) {
            html.append("<p class=\"sub\">No bookings in this window.</p></section>");
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

    private static void reminders(StringBuilder html, StatsReport report, Window window) {
        StatsReport.Reminders r = report.reminders();
        StatsReport.Reminders p = report.previous().reminders();
        String before = window.previousLabel();
        html.append("<section><h2>Reminders</h2><div class=\"cards\">")
                .append(card(Integer.toString(r.sent()), "sent", before + ": " + p.sent()))
                .append(card(Integer.toString(r.delivered()), "delivered", before + ": " + p.delivered()))
                .append(card(r.confirmed() + " <small>(" + percent(r.confirmationRate()) + ")</small>", "confirmed by reply",
                        "of " + r.sent() + " reminded visits; " + before + ": " + percent(p.confirmationRate())))
                .append(card(Integer.toString(r.failed()), "failed", before + ": " + p.failed()))
                .append(card(Integer.toString(r.optedOut()), "numbers opted out", before + ": " + p.optedOut()))
                .append("</div><p>No-show rate with a reminder: <b>").append(percent(r.noShowRateReminded()))
                .append("</b> · without: <b>").append(percent(r.noShowRateNotReminded())).append("</b></p></section>");
    }

    private static void upcoming(StringBuilder html, Upcoming upcoming) {
        html.append("<section><h2>Next ").append(Upcoming.DAYS).append(" days <span class=\"sub\">booked appointments per"
                + " provider, and how many patients confirmed by reply</span></h2>");
        if (upcoming.rows().isEmpty()) {
            html.append("<p class=\"sub\">Nothing booked yet.</p></section>");
            return;
        }
        html.append("<div class=\"scroll\"><table><thead><tr><th>Provider</th><th class=\"n\">Total</th>"
                + "<th class=\"n\">Confirmed</th>");
        upcoming.days().forEach(day -> html.append("<th class=\"n\">").append(Html.escape(DAY.format(day))).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (Upcoming.Row row : upcoming.rows()) {
            html.append("<tr><td>").append(Html.escape(row.name())).append("</td><td class=\"n\">").append(row.total())
                    .append("</td><td class=\"n\">").append(row.confirmed()).append("</td>");
            for (int count : row.perDay()) {
                html.append("<td class=\"n\">").append(count == 0 ? "·" : Integer.toString(count)).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table></div><p class=\"hint\">Scroll sideways for all ").append(Upcoming.DAYS)
                .append(" days →</p></section>");
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
        html.append(pending).append(" waiting to go out.</p><p><a href=\"/dashboard/deliveries?state=dead\">Dead</a> · "
                + "<a href=\"/dashboard/deliveries?state=failed\">Failed</a> <span class=\"sub\">(see why, and retry them)</span>"
                + " · as JSON: <a href=\"/api/deliveries?state=pending\">pending</a></p></section>");
    }

    static String card(String value, String label, String note) {
        return "<div class=\"card\"><b>" + value + "</b><span>" + Html.escape(label) + "</span>"
                + (note == null ? "" : "<em>" + Html.escape(note) + "</em>") + "</div>";
    }

    private static String legend(String colour, String label) {
        return "<span><i style=\"background:" + colour + "\"></i>" + Html.escape(label) + "</span>";
    }

    private static String days(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f d", value);
    }

    static String percent(Double rate) {
        return rate == null ? "–" : String.format(Locale.ROOT, "%.0f%%", rate * 100);
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
