package clinicrelay.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code REMINDER_OFFSETS}: how long before an appointment each reminder goes out, as a
 * comma list of whole numbers with a unit ({@code 72h,24h,2h}, {@code 30m}, {@code 45s},
 * {@code 2d}). Kept longest first.
 */
public final class ReminderOffsets {
    /** More reminders than this per appointment would be nagging, not reminding. */
    static final int OFFSETS_MAX = 8;
    /** Furthest ahead a reminder may be: Twilio would not schedule further, nor would a patient want it. */
    static final Duration OFFSET_MAX = Duration.ofDays(35);

    private ReminderOffsets() {
    }

    /** @throws IllegalArgumentException naming the bad entry */
    public static List<Duration> parse(String text) {
        List<Duration> offsets = new ArrayList<>();
        for (String part : text.split(",")) {
            String entry = part.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            Duration offset = parseOne(entry);
            if (!offsets.contains(offset)) {
                offsets.add(offset);
            }
        }
        if (offsets.size() > OFFSETS_MAX) {
            throw new IllegalArgumentException("REMINDER_OFFSETS has " + offsets.size() + " entries; at most " + OFFSETS_MAX);
        }
        offsets.sort(Comparator.reverseOrder());
        return List.copyOf(offsets);
    }

    private static Duration parseOne(String entry) {
        char unit = entry.charAt(entry.length() - 1);
        String digits = entry.substring(0, entry.length() - 1);
        long amount;
        try {
            amount = Long.parseLong(digits);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("REMINDER_OFFSETS entry '" + entry + "' is not a number with s, m, h or d");
        }
        Duration offset;
        switch (unit) {
            case 's': offset = Duration.ofSeconds(amount); break;
            case 'm': offset = Duration.ofMinutes(amount); break;
            case 'h': offset = Duration.ofHours(amount); break;
            case 'd': offset = Duration.ofDays(amount); break;
            default:
                throw new IllegalArgumentException("REMINDER_OFFSETS entry '" + entry + "' needs a unit: s, m, h or d");
        }
        if (amount <= 0 || offset.compareTo(OFFSET_MAX) > 0) {
            throw new IllegalArgumentException("REMINDER_OFFSETS entry '" + entry + "' must be above 0 and at most 35d");
        }
        return offset;
    }

    /** A short, stable name for the offset, for delivery ids and logs: 24h, 30m, 45s (2d is 48h). */
    public static String label(Duration offset) {
        long seconds = offset.getSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
