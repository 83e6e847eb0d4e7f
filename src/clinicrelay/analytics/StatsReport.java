package clinicrelay.analytics;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The figures for one window of days, as the dashboard and {@code /api/stats} show them,
 * with the same figures for the period of equal length just before it. Rates are null
 * when there is nothing to divide by (shown as "–", never as 0 %).
 *
 * @param bookingsByHourOfWeek [day of week, Monday first][hour]: when patients book
 * @param visitsByHourOfWeek   [day of week, Monday first][hour]: the busiest times
 * @param providers            over the same window, busiest first
 * @param previous             the window's headline figures for the period before it
 */
public record StatsReport(LocalDate from, LocalDate to, ZoneId zone, int days, Totals totals, List<Day> daily,
                          int[][] bookingsByHourOfWeek, int[][] visitsByHourOfWeek, List<Provider> providers,
                          Reminders reminders, Headline previous) {

    /**
     * @param settled the denominator of the cancellation rate: appointments of the window that
     *                were cancelled, attended or missed (bookings made in the window are other
     *                appointments, and dividing by them could pass 100 %)
     */
    public record Totals(int created, int cancelled, int rescheduled, int checkedIn, int noShows, int settled,
                         Double cancellationRate, Double noShowRate, Double leadTimeDaysAverage) {
    }

    public record Day(LocalDate date, int created, int cancelled, int rescheduled, int checkedIn, int noShows,
                      int remindersSent, int confirmed) {
    }

    /** @param name null when no event named the provider (shown as the id) */
    public record Provider(String id, String name, int appointments, int cancellations, int noShows) {
    }

    /** @param confirmationRate of the reminders sent for visits in the window, the share the patient confirmed by reply */
    public record Reminders(int sent, int delivered, int failed, int optedOut, int confirmed, Double confirmationRate,
                            Double noShowRateReminded, Double noShowRateNotReminded) {
    }

    /** The figures shown at the top, for a period: what "previous period" is compared on. */
    public record Headline(LocalDate from, LocalDate to, Totals totals, Reminders reminders) {
    }

    public boolean isEmpty() {
        return totals.created == 0 && totals.cancelled == 0 && totals.checkedIn == 0 && totals.noShows == 0
                && reminders.sent == 0 && totals.rescheduled == 0;
    }

    /** The window {@code from}..{@code to} (both included) and the period of equal length before it. */
    static StatsReport of(LocalDate from, LocalDate to, NavigableMap<LocalDate, DayCounts> days, Map<String, String> names,
                          ZoneId zone) {
        int length = (int) ChronoUnit.DAYS.between(from, to) + 1;
        Sums window = Sums.over(from, to, days);
        Sums before = Sums.over(from.minusDays(length), from.minusDays(1), days);
        return new StatsReport(from, to, zone, length, window.totals(), window.daily, window.bookings, window.visits,
                providers(from, to, days, names), window.reminders(),
                new Headline(from.minusDays(length), from.minusDays(1), before.totals(), before.reminders()));
    }

    /** One period's counts summed. */
    private static final class Sums {
        final List<Day> daily = new ArrayList<>();
        final int[][] bookings = new int[7][24];
        final int[][] visits = new int[7][24];
        final DayCounts total = new DayCounts();

        static Sums over(LocalDate from, LocalDate to, NavigableMap<LocalDate, DayCounts> days) {
            Sums sums = new Sums();
            for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
                DayCounts day = days.getOrDefault(date, EMPTY);
                sums.daily.add(new Day(date, day.created, day.cancelled, day.rescheduled, day.checkedIn, day.noShows,
                        day.remindersSent, day.confirmed));
                sums.add(day, date.getDayOfWeek().getValue() - 1);
            }
            return sums;
        }

        private void add(DayCounts day, int weekday) {
            total.created += day.created;
            total.cancelled += day.cancelled;
            total.rescheduled += day.rescheduled;
            total.checkedIn += day.checkedIn;
            total.noShows += day.noShows;
            total.leadMinutesSum += day.leadMinutesSum;
            total.leadCount += day.leadCount;
            total.remindersSent += day.remindersSent;
            total.remindersDelivered += day.remindersDelivered;
            total.remindersFailed += day.remindersFailed;
            total.optedOut += day.optedOut;
            total.confirmed += day.confirmed;
            total.noShowReminded += day.noShowReminded;
            total.noShowNotReminded += day.noShowNotReminded;
            total.attendedReminded += day.attendedReminded;
            total.attendedNotReminded += day.attendedNotReminded;
            for (int hour = 0; hour < 24; hour++) {
                bookings[weekday][hour] += day.bookingsByHour[hour];
                visits[weekday][hour] += day.visitsByHour[hour];
            }
        }

        Totals totals() {
            int settled = total.cancelled + total.checkedIn + total.noShows;
            return new Totals(total.created, total.cancelled, total.rescheduled, total.checkedIn, total.noShows, settled,
                    rate(total.cancelled, settled), rate(total.noShows, total.noShows + total.checkedIn),
                    total.leadCount == 0 ? null : total.leadMinutesSum / (double) total.leadCount / (24 * 60));
        }

        Reminders reminders() {
            return new Reminders(total.remindersSent, total.remindersDelivered, total.remindersFailed, total.optedOut,
                    total.confirmed, rate(total.confirmed, total.remindersSent),
                    rate(total.noShowReminded, total.noShowReminded + total.attendedReminded),
                    rate(total.noShowNotReminded, total.noShowNotReminded + total.attendedNotReminded));
        }
    }

    private static final DayCounts EMPTY = new DayCounts();

    private static List<Provider> providers(LocalDate from, LocalDate to, NavigableMap<LocalDate, DayCounts> days,
                                            Map<String, String> names) {
        Map<String, int[]> sums = new HashMap<>();
        for (DayCounts day : days.subMap(from, true, to, true).values()) {
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
