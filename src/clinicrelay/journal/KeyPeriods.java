package clinicrelay.journal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Which data key seals a record's patient data: one per week of the visit it is about
 * (weeks from Monday, UTC), so that destroying a week's key erases that week's patients
 * everywhere at once. Opt-outs have a key of their own that is never destroyed: a STOP
 * must be honoured for as long as the relay runs.
 */
public final class KeyPeriods {
    /** No patient data, so no key. */
    public static final int NONE = Integer.MIN_VALUE;
    /** Opt-out and opt-in numbers (and a checkpoint's copy of them): never erased. */
    public static final int CONSENT = -1;
    /** Patient data that names no visit is kept as if its visit were this far ahead (the longest booking horizon). */
    static final Duration UNDATED_HORIZON = Duration.ofDays(400);
    /** Visit dates further ahead than this are taken as this far: the key file grows by weeks that can exist. */
    static final Duration FUTURE_MAX = Duration.ofDays(2 * 366);
    /** Visit dates further back than this are taken as now: such data is erased soonest. */
    static final Duration PAST_MAX = Duration.ofDays(366);

    private KeyPeriods() {
    }

    /** The week (Monday-based, UTC, counted from the epoch) of {@code visit}, kept within sane bounds of {@code now}. */
    public static int forVisit(Instant visit, Instant now) {
        if (visit == null) {
            return weekOf(now.plus(UNDATED_HORIZON));
        }
        if (visit.isAfter(now.plus(FUTURE_MAX))) {
            return weekOf(now.plus(FUTURE_MAX));
        }
        return weekOf(visit.isBefore(now.minus(PAST_MAX)) ? now : visit);
    }

    static int weekOf(Instant at) {
        // 1970-01-01 was a Thursday: shifting by three days makes weeks start on Mondays.
        return (int) Math.floorDiv(Math.floorDiv(at.getEpochSecond(), 86_400L) + 3, 7);
    }

    /** The last week that ended at or before {@code at}: whose data is all older than it. */
    public static int lastWeekEndedBefore(Instant at) {
        return weekOf(at) - 1;
    }

    /** The Monday a week starts on. */
    public static LocalDate monday(int week) {
        return LocalDate.ofEpochDay(week * 7L - 3);
    }

    /** When a week ends (the next Monday, 00:00 UTC). */
    static Instant end(int week) {
        return monday(week + 1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The label of a period for logs and the dump: the week's Monday, or "consent". */
    public static String label(int period) {
        return period == CONSENT ? "consent" : "week of " + monday(period);
    }
}
