package clinicrelay.event;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Parses ISO-8601 date-times with an offset, as platforms send them
 * ({@code 2026-12-01T15:30:00-05:00}, {@code 2026-12-01T20:30:00.000Z}). The common forms
 * are read by hand, because {@code OffsetDateTime.parse} costs about as much as the rest
 * of a webhook; anything else falls back to it, so nothing valid is refused.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * A {@code *_time_utc} value as Zocdoc's API gives it: with an offset, or without one
     * (then UTC), with a "T" or a space; null when absent or unreadable.
     */
    public static java.time.Instant parseUtcInstant(String text) {
        if (text == null) {
            return null;
        }
        String iso = text.strip().replace(' ', 'T');
        try {
            return parseOffsetDateTime(iso).toInstant();
        } catch (java.time.format.DateTimeParseException noOffset) {
            try {
                return java.time.LocalDateTime.parse(iso).toInstant(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /**
     * @throws DateTimeParseException when the text is not an ISO-8601 date-time with offset
     *                                (its message quotes the text: never log it)
     */
    public static OffsetDateTime parseOffsetDateTime(String text) {
        OffsetDateTime fast = parseCommonForm(text);
        return fast != null ? fast : OffsetDateTime.parse(text);
    }

    /** {@code yyyy-MM-ddTHH:mm[:ss[.f{1,9}]](Z|±HH:MM)}, else null. */
    private static OffsetDateTime parseCommonForm(String s) {
        int n = s.length();
        if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int at = 16;
        int second = 0;
        int nanos = 0;
        if (at < n && s.charAt(at) == ':') {
            second = digits(s, at + 1, 2);
            at += 3;
            if (at < n && s.charAt(at) == '.') {
                int start = ++at;
                while (at < n && at - start < 9 && Character.isDigit(s.charAt(at))) {
                    nanos = nanos * 10 + (s.charAt(at++) - '0');
                }
                if (at == start) {
                    return null;
                }
                for (int i = at - start; i < 9; i++) {
                    nanos *= 10;
                }
            }
        }
        ZoneOffset offset = offset(s, at);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || offset == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    private static ZoneOffset offset(String s, int at) {
        int n = s.length();
        if (at == n - 1 && s.charAt(at) == 'Z') {
            return ZoneOffset.UTC;
        }
        if (at != n - 6 || (s.charAt(at) != '+' && s.charAt(at) != '-') || s.charAt(at + 3) != ':') {
            return null;
        }
        int hours = digits(s, at + 1, 2);
        int minutes = digits(s, at + 4, 2);
        if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
            return null;
        }
        int sign = s.charAt(at) == '-' ? -1 : 1;
        try {
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /** The number in s[from, from+count), or -1 when any of those is not a digit or out of bounds. */
    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
