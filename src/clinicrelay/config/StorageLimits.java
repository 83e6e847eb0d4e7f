package clinicrelay.config;

/** The bounds of the settings that size what the relay keeps: retention, and the capacity guard's backlog. */
final class StorageLimits {
    /** Patient data stays readable this many days after its visit's week (late statuses, the operator's view). */
    static final int DEFAULT_PHI_RETENTION_DAYS = 30;
    /** At least a week: the operator sees a failed message's recipient while deciding to retry. */
    static final int PHI_RETENTION_DAYS_MIN = 7;
    /** Ids, times and states are an audit trail: a year and a month by default. */
    static final int DEFAULT_JOURNAL_RETENTION_DAYS = 400;
    /** Never less than the longest duplicate window, so no stored event could come back as new. */
    static final int JOURNAL_RETENTION_DAYS_MIN = (int) SettingLimits.DEDUPE_WINDOW_MAX.toDays();
    /** Ten years: longer retention than any US medical-records rule asks of a reminder tool. */
    static final int RETENTION_DAYS_MAX = 3653;
    /** Five thousand events waiting to be planned are ~10 MB of heap and a second or two of the engine's work. */
    static final int DEFAULT_UNPLANNED_EVENTS_MAX = 5_000;
    static final int UNPLANNED_EVENTS_MAX_MIN = 100;
    /** Past this the backlog alone would not fit the default heap. */
    static final int UNPLANNED_EVENTS_MAX_MAX = 20_000;

    private StorageLimits() {
    }
}
