package clinicrelay.analytics;

import java.util.HashMap;
import java.util.Map;

/**
 * What happened on one day in the clinic's time zone. Counts only: no ids, no names, no
 * patient data; a year of days for twenty providers is a few hundred kilobytes.
 */
final class DayCounts {
    int created;
    int cancelled;
    int rescheduled;
    int checkedIn;
    int noShows;
    /** Booking-to-visit lead time of the bookings made this day, summed in minutes. */
    long leadMinutesSum;
    int leadCount;
    /** Bookings made this day, by hour of day; visits starting this day, by hour of day. */
    final int[] bookingsByHour = new int[24];
    final int[] visitsByHour = new int[24];
    /** Reminders for visits this day: sent, delivered, failed (including dead and undelivered). */
    int remindersSent;
    int remindersDelivered;
    int remindersFailed;
    int optedOut;
    /** Visits this day that ended checked in or no-show, split by whether a reminder went out. */
    int noShowReminded;
    int noShowNotReminded;
    int attendedReminded;
    int attendedNotReminded;
    /** Per provider id: appointments booked, cancelled, no-shows this day. */
    final Map<String, int[]> byProvider = new HashMap<>();

    static final int APPOINTMENTS = 0;
    static final int CANCELLATIONS = 1;
    static final int NO_SHOWS = 2;

    void provider(String providerId, int which) {
        if (providerId != null) {
            byProvider.computeIfAbsent(providerId, id -> new int[3])[which]++;
        }
    }
}
