package clinicrelay.config;

import java.time.Duration;

/** The bounds settings are held to, and why. */
final class SettingLimits {
    private SettingLimits() {
    }

    /** How long event keys are remembered: Zocdoc redelivers for 48 hours; this covers that many times over. */
    static final String DEFAULT_DEDUPE_WINDOW = "30d";
    /** The shortest duplicate window: Zocdoc's 48-hour redelivery, and a day to spare. */
    static final Duration DEDUPE_WINDOW_MIN = Duration.ofDays(3);
    /** The longest: a year of keys is already more memory than duplicate detection is worth. */
    static final Duration DEDUPE_WINDOW_MAX = Duration.ofDays(400);
    /** The dashboard is on the open internet behind a proxy: a short password is a guessable one. */
    static final int DASHBOARD_PASSWORD_CHARS_MIN = 12;
    /** Shortest sweep interval: the list API's limits are unpublished, so be gentle. */
    static final Duration ZOCDOC_SWEEP_INTERVAL_MIN = Duration.ofMinutes(1);
    /** Longest: the sweep is what brings back an event a restore lost, or a webhook Zocdoc gave up on. */
    static final Duration ZOCDOC_SWEEP_INTERVAL_MAX = Duration.ofDays(1);
    /** Longest tolerance accepted: longer windows make replays of captured requests easy. */
    static final long TIMESTAMP_TOLERANCE_SECONDS_MAX = 3600;
    /** Shortest webhook secret accepted: a shorter one could be found by brute force from a
     *  single captured request. Zocdoc's keys are 44 characters (base64 of 32 bytes). */
    static final int WEBHOOK_SECRET_CHARS_MIN = 16;
}
