package clinicrelay.analytics;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.EngineObserver;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventType;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.AppointmentStatus;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The practice's numbers, folded from the journal as the engine folds it (rebuilt at start,
 * updated live): counts per day in the clinic's time zone, for the last {@link #DAYS_KEPT}
 * days and the days ahead that have visits. Memory grows with days × providers, not with
 * events: each day is a handful of counters and a counter triple per provider.
 *
 * <p>Thread-safe: the engine writes, HTTP threads read {@link #report}.
 */
public final class PracticeStats implements EngineObserver {
    /** Days kept behind today: the longest window shown (365) twice, for the period before it, plus a margin. */
    static final int DAYS_KEPT = 2 * 366 + 10;
    /**
     * Days whose per-provider counts are kept: the longest window (a custom range starts no
     * earlier). Older days keep their totals only, for the comparison with the period before:
     * a large practice's providers × two years would be tens of megabytes.
     */
    static final int PROVIDER_DAYS_KEPT = 400;
    /** Appointments remembered as reminded, until two days after their visit (for reminded vs not). */
    static final Duration REMINDED_KEPT_AFTER_VISIT = Duration.ofDays(2);
    /** Reminded appointments held before a sweep of past visits, at least. */
    static final int REMINDED_PRUNE_MIN = 10_000;
    /** Provider names remembered (a clinic has a handful; a directory a few hundred). */
    static final int PROVIDERS_MAX = 2_000;

    private final ZoneId zone;
    private final Clock clock;
    private final TreeMap<LocalDate, DayCounts> days = new TreeMap<>();
    private final Map<String, String> providerNames = new HashMap<>();
    private final Map<String, Instant> reminded = new HashMap<>();
    /** Appointments confirmed by a reply → their visit time, forgotten like {@link #reminded} (a second "C" counts once). */
    private final Map<String, Instant> confirmed = new HashMap<>();
    private LocalDate prunedThrough = LocalDate.MIN;
    /** The latest receipt time of the events folded (what "past" is measured by, live and at replay alike). */
    private Instant latestEvent = Instant.MIN;
    /** Size of {@link #reminded} at which past visits are swept out (besides the daily sweep). */
    private int remindedPruneAt = REMINDED_PRUNE_MIN;

    public PracticeStats(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    @Override
    public synchronized void appointmentChanged(Appointments.Change change, AppointmentEvent event, Instant receivedAt) {
        Appointment before = change.before();
        Appointment after = change.after();
        if (after.providerId() != null && after.providerName() != null
                && (providerNames.size() < PROVIDERS_MAX || providerNames.containsKey(after.providerId()))) {
            providerNames.put(after.providerId(), after.providerName());
        }
        if (receivedAt.isAfter(latestEvent)) {
            latestEvent = receivedAt;
        }
        DayCounts day = day(receivedAt);
        boolean wasBooked = before != null && before.isBooked();
        switch (change.type()) {
            case CREATED:
            case UPDATED:
                if (!wasBooked && change.type() == EventType.CREATED) {
                    booked(day, after, receivedAt);
                } else if (wasBooked && after.isBooked() && change.startMoved()) {
                    day.rescheduled++;
                    visit(before, -1); // the visit moves to its new slot
                    visit(after, 1);
                }
                break;
            case CANCELLED:
                if (before == null || before.status() != AppointmentStatus.CANCELLED) {
                    day.cancelled++;
                    day.provider(after.providerId(), DayCounts.CANCELLATIONS);
                    if (wasBooked) {
                        visit(before, -1); // a cancelled visit is not a busy time
                    }
                }
                break;
            case CHECKED_IN:
                if (before == null || before.status() != AppointmentStatus.CHECKED_IN) {
                    day.checkedIn++;
                    if (reminded.containsKey(after.id())) {
                        day.attendedReminded++;
                    } else {
                        day.attendedNotReminded++;
                    }
                }
                break;
            case NO_SHOW:
                if (before == null || before.status() != AppointmentStatus.NO_SHOW) {
                    day.noShows++;
                    day.provider(after.providerId(), DayCounts.NO_SHOWS);
                    if (reminded.containsKey(after.id())) {
                        day.noShowReminded++;
                    } else {
                        day.noShowNotReminded++;
                    }
                }
                break;
            default:
                break;
        }
    }

    private void booked(DayCounts day, Appointment appointment, Instant receivedAt) {
        day.created++;
        day.provider(appointment.providerId(), DayCounts.APPOINTMENTS);
        day.bookingsByHour[receivedAt.atZone(zone).getHour()]++;
        visit(appointment, 1);
        if (appointment.start() != null) {
            Instant start = appointment.start().toInstant();
            if (start.isAfter(receivedAt)) {
                day.leadMinutesSum += Duration.between(receivedAt, start).toMinutes();
                day.leadCount++;
            }
        }
    }

    /** Adds or removes an appointment's visit in its day-and-hour slot (never below zero). */
    private void visit(Appointment appointment, int delta) {
        if (appointment == null || appointment.start() == null) {
            return;
        }
        Instant start = appointment.start().toInstant();
        if (delta < 0) {
            DayCounts visitDay = days.get(start.atZone(zone).toLocalDate());
            int hour = start.atZone(zone).getHour();
            if (visitDay != null && visitDay.visitsByHour[hour] > 0) {
                visitDay.visitsByHour[hour]--;
            }
            return;
        }
        day(start).visitsByHour[start.atZone(zone).getHour()] += delta;
    }

    @Override
    public synchronized void deliveryState(String appointmentId, DeliveryKind kind, DeliveryState state, Instant visitAt) {
        if (kind != DeliveryKind.REMINDER_SMS) {
            return;
        }
        DayCounts day = day(visitAt);
        switch (state) {
            case SENT:
                day.remindersSent++;
                reminded.put(appointmentId, visitAt);
                if (reminded.size() >= remindedPruneAt) {
                    forgetPastReminded();
                    remindedPruneAt = Math.max(REMINDED_PRUNE_MIN, 2 * reminded.size());
                }
                break;
            case DELIVERED:
                day.remindersDelivered++;
                break;
            case FAILED:
            case UNDELIVERED:
            case DEAD:
                day.remindersFailed++;
                break;
            default:
                break;
        }
    }

    @Override
    public synchronized void appointmentConfirmed(String appointmentId, Instant visitAt, Instant at) {
        if (confirmed.putIfAbsent(appointmentId, visitAt) == null) {
            day(visitAt).confirmed++;
        }
    }

    /** Whether the patient confirmed this appointment by a reply (while its visit is recent or ahead). */
    public synchronized boolean isConfirmed(String appointmentId) {
        return confirmed.containsKey(appointmentId);
    }

    @Override
    public synchronized void optedOut(Instant at) {
        day(at).optedOut++;
    }

    /** The day an instant falls on in the clinic's zone; days older than kept go to a scratch entry. */
    private DayCounts day(Instant at) {
        LocalDate date = at.atZone(zone).toLocalDate();
        LocalDate oldest = LocalDate.now(clock.withZone(zone)).minusDays(DAYS_KEPT);
        if (oldest.isAfter(prunedThrough)) {
            days.headMap(oldest).clear();
            days.headMap(oldest.plusDays(DAYS_KEPT - PROVIDER_DAYS_KEPT)).values().forEach(old -> old.byProvider.clear());
            forgetPastReminded();
            prunedThrough = oldest;
        }
        if (date.isBefore(oldest)) {
            return new DayCounts(); // counted nowhere: older than anything shown
        }
        DayCounts day = days.computeIfAbsent(date, d -> new DayCounts());
        if (date.isBefore(oldest.plusDays(DAYS_KEPT - PROVIDER_DAYS_KEPT))) {
            day.providersKept = false;
            day.byProvider.clear();
        }
        return day;
    }

    /** The figures of the last {@code windowDays} days, today included. */
    public synchronized StatsReport report(int windowDays) {
        LocalDate today = today();
        return StatsReport.of(today.minusDays(windowDays - 1L), today, days, providerNames, zone);
    }

    /** The figures of {@code from}..{@code to}, both included (days older than kept count as empty). */
    public synchronized StatsReport report(LocalDate from, LocalDate to) {
        return StatsReport.of(from, to, days, providerNames, zone);
    }

    /** Today in the clinic's zone. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    /** The oldest day whose figures are whole (providers included): a custom window starts no earlier. */
    public LocalDate oldestDayKept() {
        return today().minusDays(PROVIDER_DAYS_KEPT - 1L);
    }

    /**
     * Appointments whose visit is long past need not be remembered as reminded (their outcome
     * is in). Measured by the latest event, not the clock, so a replay forgets exactly what the
     * live fold forgot.
     */
    private void forgetPastReminded() {
        if (latestEvent.equals(Instant.MIN)) {
            return;
        }
        Instant cutoff = latestEvent.minus(REMINDED_KEPT_AFTER_VISIT);
        reminded.values().removeIf(visit -> visit.isBefore(cutoff));
        confirmed.values().removeIf(visit -> visit.isBefore(cutoff));
    }

    /** Days held (for the bench and tests: memory grows with this). */
    public synchronized int daysHeld() {
        return days.size();
    }

    /**
     * The figures, for a checkpoint: days, provider names, appointments reminded (ids and
     * visit times; no patient data), and the clock of the events folded. The time zone goes
     * first: days counted in another zone are not these days.
     */
    public synchronized void writeTo(DataOutputStream out) throws IOException {
        out.writeUTF(zone.getId());
        writeInstant(out, latestEvent);
        out.writeLong(prunedThrough.toEpochDay());
        out.writeInt(remindedPruneAt);
        out.writeInt(providerNames.size());
        for (Map.Entry<String, String> provider : providerNames.entrySet()) {
            out.writeUTF(provider.getKey());
            out.writeUTF(provider.getValue());
        }
        out.writeInt(reminded.size());
        for (Map.Entry<String, Instant> appointment : reminded.entrySet()) {
            out.writeUTF(appointment.getKey());
            writeInstant(out, appointment.getValue());
        }
        out.writeInt(days.size());
        for (Map.Entry<LocalDate, DayCounts> day : days.entrySet()) {
            out.writeLong(day.getKey().toEpochDay());
            day.getValue().writeTo(out);
        }
        // Added after the first release: at the end, so an older image (without it) still reads, and an
        // older version reads a newer image (the figures are length-prefixed; it stops before this).
        out.writeInt(confirmed.size());
        for (Map.Entry<String, Instant> appointment : confirmed.entrySet()) {
            out.writeUTF(appointment.getKey());
            writeInstant(out, appointment.getValue());
        }
        out.writeInt(days.size());
        for (Map.Entry<LocalDate, DayCounts> day : days.entrySet()) {
            out.writeLong(day.getKey().toEpochDay());
            out.writeInt(day.getValue().confirmed);
        }
    }

    /**
     * What {@link #writeTo} wrote, into these (empty) figures.
     *
     * @return false, reading nothing more, when they were counted in another time zone (they stay empty)
     */
    public synchronized boolean readFrom(DataInputStream in) throws IOException {
        String writtenZone = in.readUTF();
        if (!writtenZone.equals(zone.getId())) {
            return false;
        }
        latestEvent = readInstant(in);
        prunedThrough = LocalDate.ofEpochDay(in.readLong());
        remindedPruneAt = in.readInt();
        int names = count(in, PROVIDERS_MAX);
        for (int i = 0; i < names; i++) {
            providerNames.put(in.readUTF(), in.readUTF());
        }
        int remindedCount = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < remindedCount; i++) {
            reminded.put(in.readUTF(), readInstant(in));
        }
        int dayCount = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < dayCount; i++) {
            days.put(LocalDate.ofEpochDay(in.readLong()), DayCounts.readFrom(in, Integer.MAX_VALUE));
        }
        if (in.available() > 0) { // written by a version that counts confirmations
            int confirmedCount = count(in, Integer.MAX_VALUE);
            for (int i = 0; i < confirmedCount; i++) {
                confirmed.put(in.readUTF(), readInstant(in));
            }
            int confirmedDays = count(in, Integer.MAX_VALUE);
            for (int i = 0; i < confirmedDays; i++) {
                DayCounts day = days.get(LocalDate.ofEpochDay(in.readLong()));
                int count = in.readInt();
                if (day != null) {
                    day.confirmed = count;
                }
            }
        }
        return true;
    }

    private static int count(DataInputStream in, int max) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > max) {
            throw new IOException("a count of " + count);
        }
        return count;
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
