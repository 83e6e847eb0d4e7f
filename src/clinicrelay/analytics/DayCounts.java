package clinicrelay.analytics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
    /** Visits this day the patient confirmed by replying to the reminder (kept in a checkpoint's later section). */
    int confirmed;
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

    /** Providers counted per day at most: a directory's worth; more would be a flood of made-up ids. */
    static final int PROVIDERS_PER_DAY_MAX = 500;

    /** False for days older than the providers are counted for (their totals are still kept). */
    boolean providersKept = true;

    void provider(String providerId, int which) {
        if (providersKept && providerId != null
                && (byProvider.size() < PROVIDERS_PER_DAY_MAX || byProvider.containsKey(providerId))) {
            byProvider.computeIfAbsent(providerId, id -> new int[3])[which]++;
        }
    }

    /** The counts, for a checkpoint. */
    void writeTo(DataOutputStream out) throws IOException {
        for (int count : new int[] {created, cancelled, rescheduled, checkedIn, noShows, leadCount, remindersSent,
                remindersDelivered, remindersFailed, optedOut, noShowReminded, noShowNotReminded, attendedReminded,
                attendedNotReminded}) {
            out.writeInt(count);
        }
        out.writeLong(leadMinutesSum);
        for (int hour = 0; hour < 24; hour++) {
            out.writeInt(bookingsByHour[hour]);
            out.writeInt(visitsByHour[hour]);
        }
        out.writeInt(byProvider.size());
        for (Map.Entry<String, int[]> provider : byProvider.entrySet()) {
            out.writeUTF(provider.getKey());
            for (int count : provider.getValue()) {
                out.writeInt(count);
            }
        }
    }

    /** What {@link #writeTo} wrote. */
    static DayCounts readFrom(DataInputStream in, int providersMax) throws IOException {
        DayCounts day = new DayCounts();
        day.created = in.readInt();
        day.cancelled = in.readInt();
        day.rescheduled = in.readInt();
        day.checkedIn = in.readInt();
        day.noShows = in.readInt();
        day.leadCount = in.readInt();
        day.remindersSent = in.readInt();
        day.remindersDelivered = in.readInt();
        day.remindersFailed = in.readInt();
        day.optedOut = in.readInt();
        day.noShowReminded = in.readInt();
        day.noShowNotReminded = in.readInt();
        day.attendedReminded = in.readInt();
        day.attendedNotReminded = in.readInt();
        day.leadMinutesSum = in.readLong();
        for (int hour = 0; hour < 24; hour++) {
            day.bookingsByHour[hour] = in.readInt();
            day.visitsByHour[hour] = in.readInt();
        }
        int providers = in.readInt();
        if (providers < 0 || providers > providersMax) {
            throw new IOException("a day with " + providers + " providers");
        }
        for (int i = 0; i < providers; i++) {
            String id = in.readUTF();
            day.byProvider.put(id, new int[] {in.readInt(), in.readInt(), in.readInt()});
        }
        return day;
    }
}
