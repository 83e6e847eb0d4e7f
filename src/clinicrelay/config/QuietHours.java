package clinicrelay.config;

import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * {@code QUIET_HOURS}: a daily window of clinic-local time in which no SMS goes out
 * ({@code 21:00-08:00}, may cross midnight; {@code off} for none). A message due inside
 * the window either waits for its end (confirmations, notices) or moves earlier to the
 * last allowed minute before it (reminders, which must not arrive late).
 */
public final class QuietHours {
    public static final QuietHours OFF = new QuietHours(null, null);

    private final LocalTime start;
    private final LocalTime end;

    private QuietHours(LocalTime start, LocalTime end) {
        this.start = start;
        this.end = end;
    }

    /** @throws IllegalArgumentException naming the value */
    public static QuietHours parse(String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase("off")) {
            return OFF;
        }
        String[] parts = value.split("-");
        try {
            if (parts.length == 2) {
                LocalTime start = LocalTime.parse(parts[0].strip());
                LocalTime end = LocalTime.parse(parts[1].strip());
                if (!start.equals(end)) {
                    return new QuietHours(start, end);
                }
            }
        } catch (DateTimeParseException notATime) {
            // reported below
        }
        throw new IllegalArgumentException("QUIET_HOURS=" + value + " must be HH:MM-HH:MM (e.g. 21:00-08:00) or off");
    }

    public boolean isOff() {
        return start == null;
    }

    /** True when this local time falls inside the window (start inclusive, end exclusive). */
    public boolean isQuiet(LocalTime time) {
        if (isOff()) {
            return false;
        }
        if (start.isBefore(end)) {
            return !time.isBefore(start) && time.isBefore(end);
        }
        return !time.isBefore(start) || time.isBefore(end);
    }

    /** The moment itself when allowed, else the end of the window it falls in. */
    public ZonedDateTime nextAllowed(ZonedDateTime moment) {
        if (!isQuiet(moment.toLocalTime())) {
            return moment;
        }
        ZonedDateTime end = moment.with(this.end).truncatedTo(ChronoUnit.MINUTES);
        return end.isAfter(moment) ? end : end.plusDays(1);
    }

    /** The moment itself when allowed, else the last allowed minute before the window it falls in. */
    public ZonedDateTime lastAllowedBefore(ZonedDateTime moment) {
        if (!isQuiet(moment.toLocalTime())) {
            return moment;
        }
        ZonedDateTime windowStart = moment.with(start).truncatedTo(ChronoUnit.MINUTES);
        if (windowStart.isAfter(moment)) {
            windowStart = windowStart.minusDays(1);
        }
        return windowStart.minusMinutes(1);
    }

    @Override
    public String toString() {
        return isOff() ? "off" : start + "-" + end;
    }
}
