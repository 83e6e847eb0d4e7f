package clinicrelay.analytics;

import clinicrelay.json.JsonBuilder;

/** {@code /api/stats} as JSON: the same figures as the dashboard, for spreadsheets and scripts. */
public final class StatsJson {
    private StatsJson() {
    }

    public static String write(StatsReport report) {
        StatsReport.Totals t = report.totals();
        JsonBuilder json = new JsonBuilder().beginObject()
                .member("from", report.from().toString()).member("to", report.to().toString())
                .member("time_zone", report.zone().getId()).member("days", report.days())
                .beginObject("totals")
                .member("created", t.created()).member("cancelled", t.cancelled()).member("rescheduled", t.rescheduled())
                .member("checked_in", t.checkedIn()).member("no_shows", t.noShows())
                .memberOrNull("cancellation_rate", t.cancellationRate()).memberOrNull("no_show_rate", t.noShowRate())
                .memberOrNull("lead_time_days_average", t.leadTimeDaysAverage())
                .endObject()
                .beginArray("daily");
        for (StatsReport.Day day : report.daily()) {
            json.beginObject().member("date", day.date().toString()).member("created", day.created())
                    .member("cancelled", day.cancelled()).member("rescheduled", day.rescheduled())
                    .member("checked_in", day.checkedIn()).member("no_shows", day.noShows()).endObject();
        }
        json.endArray();
        grid(json, "bookings_by_hour_of_week", report.bookingsByHourOfWeek());
        grid(json, "visits_by_hour_of_week", report.visitsByHourOfWeek());
        json.beginArray("providers_last_30_days");
        for (StatsReport.Provider provider : report.providers()) {
            json.beginObject().member("id", provider.id()).member("name", provider.name())
                    .member("appointments", provider.appointments()).member("cancellations", provider.cancellations())
                    .member("no_shows", provider.noShows()).endObject();
        }
        json.endArray();
        StatsReport.Reminders r = report.reminders();
        json.beginObject("reminders").member("sent", r.sent()).member("delivered", r.delivered()).member("failed", r.failed())
                .member("opted_out", r.optedOut()).memberOrNull("no_show_rate_reminded", r.noShowRateReminded())
                .memberOrNull("no_show_rate_not_reminded", r.noShowRateNotReminded()).endObject();
        return json.endObject().toText();
    }

    /** Monday first, hours 0–23, in the clinic's time zone. */
    private static void grid(JsonBuilder json, String name, int[][] grid) {
        json.beginArray(name);
        for (int[] day : grid) {
            json.beginArray();
            for (int count : day) {
                json.element(count);
            }
            json.endArray();
        }
        json.endArray();
    }
}
