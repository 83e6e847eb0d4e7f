package clinicrelay.dashboard;

import clinicrelay.planning.Appointment;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The booked appointments of the next {@link #DAYS} days, per provider and day, and how many
 * of them the patient confirmed by reply: the load ahead, for planning the front desk.
 *
 * @param days the days shown, today first
 */
record Upcoming(List<LocalDate> days, List<Row> rows) {
    static final int DAYS = 14;

    /** @param name the provider's name, else its id, else "unassigned" */
    record Row(String name, int[] perDay, int total, int confirmed) {
    }

    static Upcoming of(List<Appointment> booked, LocalDate today, ZoneId zone, Predicate<String> confirmed) {
        List<LocalDate> days = new ArrayList<>();
        for (int i = 0; i < DAYS; i++) {
            days.add(today.plusDays(i));
        }
        Map<String, int[]> perDay = new LinkedHashMap<>();
        Map<String, Integer> confirmedBy = new LinkedHashMap<>();
        for (Appointment appointment : booked) {
            int day = (int) java.time.temporal.ChronoUnit.DAYS.between(today,
                    appointment.start().atZoneSameInstant(zone).toLocalDate());
            if (day < 0 || day >= DAYS) {
                continue;
            }
            String name = appointment.providerName() != null ? appointment.providerName()
                    : appointment.providerId() != null ? appointment.providerId() : "unassigned";
            perDay.computeIfAbsent(name, n -> new int[DAYS])[day]++;
            if (confirmed.test(appointment.id())) {
                confirmedBy.merge(name, 1, Integer::sum);
            }
        }
        List<Row> rows = new ArrayList<>();
        perDay.forEach((name, counts) -> rows.add(new Row(name, counts, java.util.Arrays.stream(counts).sum(),
                confirmedBy.getOrDefault(name, 0))));
        rows.sort(Comparator.comparingInt(Row::total).reversed().thenComparing(Row::name));
        return new Upcoming(days, rows);
    }
}
