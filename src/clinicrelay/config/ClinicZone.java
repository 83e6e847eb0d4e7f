package clinicrelay.config;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * CLINIC_TIMEZONE: an IANA name (Region/City). Names without a region ("EST", "MST",
 * "PST8PDT") are refused even where Java knows them: "EST" is a fixed -05:00 with no
 * daylight saving, so from March to November every reminder would be an hour off.
 */
final class ClinicZone {
    static final String HINT = "use an IANA name, Region/City, e.g. America/New_York, America/Chicago, America/Denver,"
            + " America/Phoenix, America/Los_Angeles (all of them: timedatectl list-timezones)";

    private ClinicZone() {
    }

    static ZoneId parse(String value) {
        boolean utc = value.equals("UTC") || value.equals("Etc/UTC");
        if (!utc && !value.contains("/")) {
            throw new IllegalArgumentException("CLINIC_TIMEZONE=" + value + " is not a place's time zone (abbreviations keep"
                    + " one offset all year, with no daylight saving): " + HINT);
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException unknown) {
            throw new IllegalArgumentException("CLINIC_TIMEZONE=" + value + " is not a known time zone: " + HINT);
        }
    }
}
