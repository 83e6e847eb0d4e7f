package clinicrelay.analytics;

import clinicrelay.json.JsonBuilder;

/** {@code /api/stats} as JSON: the same figures as the dashboard, for spreadsheets and scripts. */
public final class StatsJson {
    private StatsJson() {
    }

    public static String write(StatsReport report) {
        JsonBuilder json = new JsonBuilder().beginObject()
                .member("from", report.from().toString()).member("to", report.to().toString())
                .member("time_zone", report.zone().getId()).member("days", report.days());
        totals(json, "totals", report.totals());
        reminders(json, "reminders", report.reminders());
        json.beginObject("previous_period").member("from", report.previous().from().toString())
                .member("to", report.previous().to().toString());
        totals(json, "totals", report.previous().totals());
        reminders(json, "reminders", report.previous().reminders());
        json.endObject().beginArray("daily");
        for (StatsReport.Day day : report.daily()) {
            json.beginObject().member("date", day.date().toString()).member("created", day.created())
                    .member("cancelled", day.cancelled()).member("rescheduled", day.rescheduled())
                    .member("checked_in", day.checkedIn()).member("no_shows", day.noShows())
                    .member("reminders_sent", day.remindersSent()).member("confirmed", day.confirmed()).endObject();
        }
        json.endArray();
        grid(json, "bookings_by_hour_of_week", report.bookingsByHourOfWeek());
        grid(json, "visits_by_hour_of_week", report.visitsByHourOfWeek());
        json.beginArray("providers");
        for (StatsReport.Provider provider : report.providers()) {
            json.beginObject().member("id", provider.id()).member("name", provider.name())
                    .member("appointments", provider.appointments()).member("cancellations", provider.cancellations())
                    .member("no_shows", provider.noShows()).endObject();
        }
        json.endArray();
        return json.endObject().toText();
    }

    /** @param settled the cancellation rate's denominator: cancelled, attended or missed in the window */
    private static void totals(JsonBuilder json, String name, StatsReport.Totals t) {
        json.beginObject(name)
                .member("created", t.created()).member("cancelled", t.cancelled()).member("rescheduled", t.rescheduled())
                .member("checked_in", t.checkedIn()).member("no_shows", t.noShows()).member("settled", t.settled())
                .memberOrNull("cancellation_rate", t.cancellationRate()).memberOrNull("no_show_rate", t.noShowRate())
                .memberOrNull("lead_time_days_average", t.leadTimeDaysAverage())
                .endObject();
    }

    private static void reminders(JsonBuilder json, String name, StatsReport.Reminders r) {
        json.beginObject(name).member("sent", r.sent()).member("delivered", r.delivered()).member("failed", r.failed())
                .member("opted_out", r.optedOut()).member("confirmed", r.confirmed())
                .memberOrNull("confirmation_rate", r.confirmationRate())
                .memberOrNull("no_show_rate_reminded", r.noShowRateReminded())
                .memberOrNull("no_show_rate_not_reminded", r.noShowRateNotReminded()).endObject();
    }

    /** The daily figures as CSV (RFC 4180, a header line first): what a spreadsheet opens. */
    public static String csv(StatsReport report) {
        StringBuilder csv = new StringBuilder("date,booked,cancelled,rescheduled,checked_in,no_shows,reminders_sent,"
                + "confirmed_by_reply\r\n");
        for (StatsReport.Day day : report.daily()) {
            csv.append(day.date()).append(',').append(day.created()).append(',').append(day.cancelled()).append(',')
                    .append(day.rescheduled()).append(',').append(day.checkedIn()).append(',').append(day.noShows())
                    .append(',').append(day.remindersSent()).append(',').append(day.confirmed()).append("\r\n");
        }
        return csv.toString();
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
