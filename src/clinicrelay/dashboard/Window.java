package clinicrelay.dashboard;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The days a page or an export covers: a preset ({@code ?days=7|30|90|365}, the last N days,
 * today included; 30 by default) or a custom range ({@code ?from=2026-01-01&to=2026-03-31},
 * both included, at most {@link #CUSTOM_DAYS_MAX} days, ending today at the latest and
 * starting no earlier than the figures are kept).
 *
 * @param presetDays null for a custom range
 */
record Window(LocalDate from, LocalDate to, Integer presetDays) {
    static final List<Integer> PRESETS = List.of(7, 30, 90, 365);
    static final int DEFAULT_DAYS = 30;
    static final int CUSTOM_DAYS_MAX = 366;

    /** A request's window, or why it cannot be used (a sentence for a 400). */
    record Parsed(Window window, String problem) {
    }

    static Parsed parse(Map<String, String> query, LocalDate today, LocalDate oldestKept) {
        String from = query.get("from");
        String to = query.get("to");
        if (from != null || to != null) {
            return custom(from, to, today, oldestKept);
        }
        String days = query.getOrDefault("days", Integer.toString(DEFAULT_DAYS));
        for (int preset : PRESETS) {
            if (Integer.toString(preset).equals(days)) {
                return new Parsed(new Window(today.minusDays(preset - 1L), today, preset), null);
            }
        }
        return new Parsed(null, "days must be 7, 30, 90 or 365, or give from and to (YYYY-MM-DD)");
    }

    private static Parsed custom(String from, String to, LocalDate today, LocalDate oldestKept) {
        LocalDate start;
        LocalDate end;
        try {
            start = LocalDate.parse(from == null ? "" : from);
            end = LocalDate.parse(to == null ? "" : to);
        } catch (DateTimeParseException unusable) {
            return new Parsed(null, "from and to must both be dates written YYYY-MM-DD");
        }
        if (end.isBefore(start)) {
            return new Parsed(null, "from must not be after to");
        }
        if (end.isAfter(today)) {
            return new Parsed(null, "to must not be after today (" + today + ")");
        }
        if (start.isBefore(oldestKept)) {
            return new Parsed(null, "from must not be before " + oldestKept + ": older days are not kept");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > CUSTOM_DAYS_MAX) {
            return new Parsed(null, "a range covers at most " + CUSTOM_DAYS_MAX + " days");
        }
        return new Parsed(new Window(start, end, null), null);
    }

    int days() {
        return (int) ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** The query that asks for this window again: {@code days=30} or {@code from=...&to=...}. */
    String query() {
        return presetDays != null ? "days=" + presetDays : "from=" + from + "&to=" + to;
    }

    /** "last 30 days", or "Jan 1, 2026 – Mar 31, 2026". */
    String label() {
        return presetDays != null ? "last " + presetDays + " days" : from + " – " + to;
    }

    /** What the period before is called beside a figure. */
    String previousLabel() {
        return "the " + days() + " days before";
    }
}
