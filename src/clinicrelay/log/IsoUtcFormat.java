package clinicrelay.log;

/**
 * Formats epoch milliseconds as {@code 2026-11-27T06:33:21.059Z} without java.time's
 * formatter machinery, which costs a noticeable share of start-up and of each log line.
 * Days to a civil date: Howard Hinnant's {@code civil_from_days} algorithm.
 */
final class IsoUtcFormat {
    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
    private static final long EPOCH_SHIFT_DAYS = 719_468;

    private IsoUtcFormat() {
    }

    static void appendIsoUtc(long epochMillis, StringBuilder out) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        long millisOfDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);
        long z = days + EPOCH_SHIFT_DAYS;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
        long month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        pad(year, 4, out).append('-');
        pad(month, 2, out).append('-');
        pad(day, 2, out).append('T');
        pad(millisOfDay / 3_600_000, 2, out).append(':');
        pad(millisOfDay / 60_000 % 60, 2, out).append(':');
        pad(millisOfDay / 1000 % 60, 2, out).append('.');
        pad(millisOfDay % 1000, 3, out).append('Z');
    }

    private static StringBuilder pad(long value, int width, StringBuilder out) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
