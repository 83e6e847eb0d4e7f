package clinicrelay.config;

import java.time.Duration;
import java.util.Locale;

/** Durations as the configuration writes them: a whole number and a unit, {@code 45s}, {@code 15m}, {@code 48h}, {@code 30d}. */
final class Durations {
    private Durations() {
    }

    /** @throws IllegalArgumentException naming the variable, the value and the bounds */
    static Duration parse(String name, String value, Duration min, Duration max) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Duration parsed = null;
        if (text.length() >= 2) {
            try {
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                switch (text.charAt(text.length() - 1)) {
                    case 's': parsed = Duration.ofSeconds(amount); break;
                    case 'm': parsed = Duration.ofMinutes(amount); break;
                    case 'h': parsed = Duration.ofHours(amount); break;
                    case 'd': parsed = Duration.ofDays(amount); break;
                    default: break;
                }
            } catch (NumberFormatException | ArithmeticException notANumber) {
                parsed = null;
            }
        }
        if (parsed == null) {
            throw new IllegalArgumentException(name + "=" + value.strip() + " is not a duration like 30d, 48h or 15m");
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + "=" + value.strip() + " must be between " + text(min) + " and " + text(max));
        }
        return parsed;
    }

    private static String text(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
