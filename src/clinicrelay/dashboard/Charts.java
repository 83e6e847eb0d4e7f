package clinicrelay.dashboard;

import clinicrelay.analytics.StatsReport;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's charts as inline SVG, drawn here: no script, no external asset. Each has a
 * {@code <title>} and an aria label, axis labels, and a viewBox so it scales to a phone.
 */
final class Charts {
    static final String CREATED_COLOUR = "#2f6db5";
    static final String CANCELLED_COLOUR = "#e08a1e";
    static final String NO_SHOW_COLOUR = "#c0392b";
    private static final DateTimeFormatter SHORT_DATE = DateTimeFormatter.ofPattern("MMM d", Locale.US);
    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private Charts() {
    }

    /** Bars per day: created, cancelled and no-shows side by side, with a y axis and dates below. */
    static String dailyVolume(List<StatsReport.Day> days) {
        int width = 720;
        int height = 220;
        int left = 36;
        int bottom = 28;
        int top = 12;
        int max = 1;
        for (StatsReport.Day day : days) {
            max = Math.max(max, Math.max(day.created(), Math.max(day.cancelled(), day.noShows())));
        }
        int plotHeight = height - bottom - top;
        double slot = (width - left - 8) / (double) days.size();
        double bar = Math.max(1, slot / 4);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"daily-title\"><title id=\"daily-title\">Appointments per day: "
                        + "created, cancelled and no-shows, ")
                .append(Html.escape(SHORT_DATE.format(days.get(0).date()))).append(" to ")
                .append(Html.escape(SHORT_DATE.format(days.get(days.size() - 1).date()))).append("</title>");
        for (int tick : new int[] {0, (max + 1) / 2, max}) {
            double y = top + plotHeight - plotHeight * tick / (double) max;
            svg.append("<line x1=\"").append(left).append("\" x2=\"").append(width - 8).append("\" y1=\"").append(fmt(y))
                    .append("\" y2=\"").append(fmt(y)).append("\" class=\"grid\"/>")
                    .append("<text x=\"").append(left - 6).append("\" y=\"").append(fmt(y + 4))
                    .append("\" class=\"axis\" text-anchor=\"end\">").append(tick).append("</text>");
        }
        for (int i = 0; i < days.size(); i++) {
            StatsReport.Day day = days.get(i);
            double x = left + i * slot + slot / 8;
            bar(svg, x, day.created(), max, bar, top, plotHeight, CREATED_COLOUR, day, "created");
            bar(svg, x + bar, day.cancelled(), max, bar, top, plotHeight, CANCELLED_COLOUR, day, "cancelled");
            bar(svg, x + 2 * bar, day.noShows(), max, bar, top, plotHeight, NO_SHOW_COLOUR, day, "no-shows");
        }
        int[] labelled = {0, days.size() / 2, days.size() - 1};
        for (int i : labelled) {
            double x = left + i * slot + slot / 2;
            svg.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(height - 8)
                    .append("\" class=\"axis\" text-anchor=\"middle\">")
                    .append(Html.escape(SHORT_DATE.format(days.get(i).date()))).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static void bar(StringBuilder svg, double x, int value, int max, double width, int top, int plotHeight,
                            String colour, StatsReport.Day day, String what) {
        if (value == 0) {
            return;
        }
        double h = plotHeight * value / (double) max;
        svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(top + plotHeight - h)).append("\" width=\"")
                .append(fmt(width)).append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(colour).append("\">")
                .append("<title>").append(Html.escape(SHORT_DATE.format(day.date()))).append(": ").append(value).append(' ')
                .append(what).append("</title></rect>");
    }

    /** A week × hour grid, darker where there were more; rows Monday to Sunday, columns midnight to 23:00. */
    static String heatMap(int[][] grid, String id, String title, String noun) {
        int cell = 26;
        int left = 40;
        int top = 18;
        int width = left + 24 * cell + 4;
        int height = top + 7 * cell + 4;
        int max = 0;
        for (int[] row : grid) {
            for (int count : row) {
                max = Math.max(max, count);
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"").append(id).append("\"><title id=\"").append(id).append("\">")
                .append(Html.escape(title)).append("</title>");
        for (int hour = 0; hour < 24; hour += 3) {
            svg.append("<text x=\"").append(left + hour * cell + cell / 2).append("\" y=\"12\" class=\"axis\" text-anchor=\"middle\">")
                    .append(hour == 0 ? "12a" : hour < 12 ? hour + "a" : hour == 12 ? "12p" : (hour - 12) + "p").append("</text>");
        }
        for (int day = 0; day < 7; day++) {
            svg.append("<text x=\"").append(left - 6).append("\" y=\"").append(top + day * cell + cell / 2 + 4)
                    .append("\" class=\"axis\" text-anchor=\"end\">").append(WEEKDAYS[day]).append("</text>");
            for (int hour = 0; hour < 24; hour++) {
                int count = grid[day][hour];
                double strength = max == 0 ? 0 : 0.12 + 0.88 * count / (double) max;
                svg.append("<rect x=\"").append(left + hour * cell + 1).append("\" y=\"").append(top + day * cell + 1)
                        .append("\" width=\"").append(cell - 2).append("\" height=\"").append(cell - 2).append("\" rx=\"3\" fill=\"")
                        .append(count == 0 ? "#eef1f5" : CREATED_COLOUR).append("\"")
                        .append(count == 0 ? "" : " fill-opacity=\"" + fmt(strength) + "\"").append("><title>")
                        .append(WEEKDAYS[day]).append(' ').append(String.format(Locale.ROOT, "%02d:00", hour)).append(": ")
                        .append(count).append(' ').append(noun).append("</title></rect>");
            }
        }
        return svg.append("</svg>").toString();
    }

    /** "Busiest: Tue 9 AM (14 bookings)", or "None yet." for an empty grid. */
    static String peak(int[][] grid, String noun) {
        int bestDay = 0;
        int bestHour = 0;
        for (int day = 0; day < 7; day++) {
            for (int hour = 0; hour < 24; hour++) {
                if (grid[day][hour] > grid[bestDay][bestHour]) {
                    bestDay = day;
                    bestHour = hour;
                }
            }
        }
        if (grid[bestDay][bestHour] == 0) {
            return "None yet.";
        }
        int twelve = bestHour % 12 == 0 ? 12 : bestHour % 12;
        return "Busiest: " + WEEKDAYS[bestDay] + " " + twelve + (bestHour < 12 ? " AM" : " PM") + " ("
                + grid[bestDay][bestHour] + " " + noun + ").";
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
