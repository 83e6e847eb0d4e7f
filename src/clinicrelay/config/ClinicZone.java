package clinicrelay.config;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * CLINIC_TIMEZONE: an IANA name (Region/City). Names without a region ("EST", "MST",
 * "PST8PDT") and fixed offsets ("Etc/GMT+5") are refused even where Java knows them:
 * "EST" is a fixed -05:00 with no daylight saving, so from March to November every
 * reminder would be an hour off. UTC (or Etc/UTC) is accepted, on purpose.
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
        ZoneId zone;
        try {
            zone = ZoneId.of(value);
        } catch (DateTimeException unknown) {
            throw new IllegalArgumentException("CLINIC_TIMEZONE=" + value + " is not a known time zone: " + HINT);
        }
        if (!utc && zone.getRules().isFixedOffset()) {
            // Etc/GMT+5 and the like: one offset all year (and its sign is the reverse of what it reads).
            throw new IllegalArgumentException("CLINIC_TIMEZONE=" + value + " is a fixed offset, not a place's time zone: " + HINT);
        }
        return zone;
    }
}
