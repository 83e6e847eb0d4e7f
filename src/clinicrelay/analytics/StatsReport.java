package clinicrelay.analytics;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The figures for one window of days, as the dashboard and {@code /api/stats} show them.
 * Rates are null when there is nothing to divide by (shown as "–", never as 0 %).
 *
 * @param bookingsByHourOfWeek [day of week, Monday first][hour]: when patients book
 * @param visitsByHourOfWeek   [day of week, Monday first][hour]: the busiest times
 * @param providers            the last {@link PracticeStats#PROVIDER_DAYS} days, busiest first
 */
public record StatsReport(LocalDate from, LocalDate to, ZoneId zone, int days, Totals totals, List<Day> daily,
                          int[][] bookingsByHourOfWeek, int[][] visitsByHourOfWeek, List<Provider> providers,
                          Reminders reminders) {

    public record Totals(int created, int cancelled, int rescheduled, int checkedIn, int noShows, Double cancellationRate,
                         Double noShowRate, Double leadTimeDaysAverage) {
    }

    public record Day(LocalDate date, int created, int cancelled, int rescheduled, int checkedIn, int noShows) {
    }

    /** @param name null when no event named the provider (shown as the id) */
    public record Provider(String id, String name, int appointments, int cancellations, int noShows) {
    }

    public record Reminders(int sent, int delivered, int failed, int optedOut, Double noShowRateReminded,
                            Double noShowRateNotReminded) {
    }

    public boolean isEmpty() {
        return totals.created == 0 && totals.cancelled == 0 && totals.checkedIn == 0 && totals.noShows == 0
                && reminders.sent == 0 && totals.rescheduled == 0;
    }

    static StatsReport of(LocalDate today, int windowDays, NavigableMap<LocalDate, DayCounts> days, int providerDays,
                          Map<String, String> names, ZoneId zone) {
        LocalDate from = today.minusDays(windowDays - 1L);
        List<Day> daily = new ArrayList<>(windowDays);
        int[][] bookings = new int[7][24];
        int[][] visits = new int[7][24];
        int created = 0;
        int cancelled = 0;
        int rescheduled = 0;
        int checkedIn = 0;
        int noShows = 0;
        long leadMinutes = 0;
        int leadCount = 0;
        int sent = 0;
        int delivered = 0;
        int failed = 0;
        int optedOut = 0;
        int noShowReminded = 0;
        int noShowNotReminded = 0;
        int attendedReminded = 0;
        int attendedNotReminded = 0;
        for (LocalDate date = from; !date.isAfter(today); date = date.plusDays(1)) {
            DayCounts day = days.get(date);
            if (day == null) {
                daily.add(new Day(date, 0, 0, 0, 0, 0));
                continue;
            }
            daily.add(new Day(date, day.created, day.cancelled, day.rescheduled, day.checkedIn, day.noShows));
            created += day.created;
            cancelled += day.cancelled;
            rescheduled += day.rescheduled;
            checkedIn += day.checkedIn;
            noShows += day.noShows;
            leadMinutes += day.leadMinutesSum;
            leadCount += day.leadCount;
            sent += day.remindersSent;
            delivered += day.remindersDelivered;
            failed += day.remindersFailed;
            optedOut += day.optedOut;
            noShowReminded += day.noShowReminded;
            noShowNotReminded += day.noShowNotReminded;
            attendedReminded += day.attendedReminded;
            attendedNotReminded += day.attendedNotReminded;
            int weekday = date.getDayOfWeek().getValue() - 1;
            for (int hour = 0; hour < 24; hour++) {
                bookings[weekday][hour] += day.bookingsByHour[hour];
                visits[weekday][hour] += day.visitsByHour[hour];
            }
        }
        // Of the appointments settled in the window (cancelled, attended or missed), the share cancelled:
        // bookings made in a window are other appointments, and dividing by them could pass 100 %.
        Totals totals = new Totals(created, cancelled, rescheduled, checkedIn, noShows,
                rate(cancelled, cancelled + checkedIn + noShows),
                rate(noShows, noShows + checkedIn), leadCount == 0 ? null : leadMinutes / (double) leadCount / (24 * 60));
        Reminders reminders = new Reminders(sent, delivered, failed, optedOut,
                rate(noShowReminded, noShowReminded + attendedReminded),
                rate(noShowNotReminded, noShowNotReminded + attendedNotReminded));
        return new StatsReport(from, today, zone, windowDays, totals, daily, bookings, visits,
                providers(today, providerDays, days, names), reminders);
    }

    private static List<Provider> providers(LocalDate today, int providerDays, NavigableMap<LocalDate, DayCounts> days,
                                            Map<String, String> names) {
        Map<String, int[]> sums = new HashMap<>();
        for (DayCounts day : days.subMap(today.minusDays(providerDays - 1L), true, today, true).values()) {
            for (Map.Entry<String, int[]> entry : day.byProvider.entrySet()) {
                int[] sum = sums.computeIfAbsent(entry.getKey(), id -> new int[3]);
                for (int i = 0; i < 3; i++) {
                    sum[i] += entry.getValue()[i];
                }
            }
        }
        List<Provider> providers = new ArrayList<>();
        sums.forEach((id, sum) -> providers.add(new Provider(id, names.get(id), sum[DayCounts.APPOINTMENTS],
                sum[DayCounts.CANCELLATIONS], sum[DayCounts.NO_SHOWS])));
        providers.sort(Comparator.comparingInt(Provider::appointments).reversed().thenComparing(Provider::id));
        return providers;
    }

    private static Double rate(int part, int whole) {
        return whole == 0 ? null : part / (double) whole;
    }
}
