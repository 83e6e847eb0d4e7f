package clinicrelay.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.AppointmentStatus;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.Reachability;
import clinicrelay.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The practice figures, folded with a fixed clock, in the clinic's zone across a DST change. */
class PracticeStatsTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** Sunday Nov 1 2026: New York falls back from 02:00 EDT to 01:00 EST. */
    private static final Instant NOW = Instant.parse("2026-11-03T17:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final PracticeStats stats = new PracticeStats(NEW_YORK, clock);

    private static Appointment appointment(String id, AppointmentStatus status, String start, String provider) {
        return new Appointment(id, status, OffsetDateTime.parse(start), provider, "Dr. " + provider, Reachability.NONE, null);
    }

    private static AppointmentEvent event(EventType type) {
        return AppointmentEvent.builder("zocdoc", EventShape.FULL, type).eventId("e").appointmentId("a").build();
    }

    private void change(Appointment before, Appointment after, EventType type, String at) {
        stats.appointmentChanged(new Appointments.Change(before, after, type), event(type), Instant.parse(at));
    }

    @Test
    void aFreshInstallReportsNothingAndNoRates() {
        StatsReport report = stats.report(30);
        assertTrue(report.isEmpty());
        assertEquals(30, report.daily().size());
        assertNull(report.totals().cancellationRate(), "nothing to divide by: no rate, not 0 %");
        assertNull(report.reminders().noShowRateReminded());
    }

    @Test
    void bookingsCancellationsNoShowsAndCheckInsAreCountedOnTheirLocalDay() {
        Appointment a = appointment("a", AppointmentStatus.BOOKED, "2026-11-02T10:00:00-05:00", "pr_1");
        Appointment b = appointment("b", AppointmentStatus.BOOKED, "2026-11-06T15:00:00-05:00", "pr_2");
        // 05:30 UTC on Nov 1 is 01:30 EDT, before the clocks go back: still Nov 1 in New York
        change(null, a, EventType.CREATED, "2026-11-01T05:30:00Z");
        // 04:30 UTC on Nov 2 is 23:30 EST on Nov 1: a UTC bucket would put it on Nov 2
        change(null, b, EventType.CREATED, "2026-11-02T04:30:00Z");
        change(b, appointment("b", AppointmentStatus.CANCELLED, "2026-11-06T15:00:00-05:00", "pr_2"), EventType.CANCELLED,
                "2026-11-02T15:00:00Z");
        change(a, appointment("a", AppointmentStatus.NO_SHOW, "2026-11-02T10:00:00-05:00", "pr_1"), EventType.NO_SHOW,
                "2026-11-03T16:00:00Z");
        StatsReport report = stats.report(7);
        StatsReport.Day nov1 = report.daily().stream().filter(d -> d.date().equals(LocalDate.of(2026, 11, 1))).findFirst().get();
        assertEquals(2, nov1.created(), "both bookings are Nov 1 in New York");
        assertEquals(2, report.totals().created());
        assertEquals(1, report.totals().cancelled());
        assertEquals(0.5, report.totals().cancellationRate());
        assertEquals(1.0, report.totals().noShowRate());
        assertEquals(1, report.bookingsByHourOfWeek()[6][1], "Sunday, 1 AM local");
        assertEquals(1, report.bookingsByHourOfWeek()[6][23], "Sunday, 11 PM local");
        assertEquals(1, report.visitsByHourOfWeek()[0][10], "the Monday 10 AM visit (the Friday one is ahead of the window)");
        assertEquals(List.of("pr_1", "pr_2"), report.providers().stream().map(StatsReport.Provider::id).toList());
        assertEquals("Dr. pr_1", report.providers().get(0).name());
        assertEquals(1, report.providers().get(0).noShows());
        assertEquals(1, report.providers().get(1).cancellations());
    }

    @Test
    void leadTimeReschedulesAndTheWindowDecideWhatCounts() {
        Appointment a = appointment("a", AppointmentStatus.BOOKED, "2026-11-13T12:00:00-05:00", "pr_1");
        change(null, a, EventType.CREATED, "2026-11-03T17:00:00Z"); // ten days ahead
        change(a, appointment("a", AppointmentStatus.BOOKED, "2026-11-14T12:00:00-05:00", "pr_1"), EventType.UPDATED,
                "2026-11-03T17:30:00Z");
        change(null, appointment("old", AppointmentStatus.BOOKED, "2026-10-20T12:00:00-04:00", "pr_1"), EventType.CREATED,
                "2026-10-10T12:00:00Z"); // 24 days ago: in the 30-day window, not the 7-day one
        assertEquals(10.0, stats.report(7).totals().leadTimeDaysAverage(), 0.01);
        assertEquals(1, stats.report(7).totals().rescheduled());
        assertEquals(1, stats.report(7).totals().created());
        assertEquals(2, stats.report(30).totals().created());
    }

    @Test
    void remindedAndNotRemindedNoShowRatesAreComparedAndRemindersCounted() {
        for (int i = 0; i < 4; i++) {
            String id = "r" + i;
            Appointment booked = appointment(id, AppointmentStatus.BOOKED, "2026-11-03T09:00:00-05:00", "pr_1");
            change(null, booked, EventType.CREATED, "2026-10-30T12:00:00Z");
            if (i < 2) {
                stats.deliveryState(id, DeliveryKind.REMINDER_SMS, DeliveryState.SENT, booked.start().toInstant());
                stats.deliveryState(id, DeliveryKind.REMINDER_SMS, DeliveryState.DELIVERED, booked.start().toInstant());
            }
            boolean noShow = i == 1 || i == 2 || i == 3;
            change(booked, appointment(id, noShow ? AppointmentStatus.NO_SHOW : AppointmentStatus.CHECKED_IN,
                    "2026-11-03T09:00:00-05:00", "pr_1"), noShow ? EventType.NO_SHOW : EventType.CHECKED_IN, "2026-11-03T14:10:00Z");
        }
        stats.deliveryState("x", DeliveryKind.CONFIRMATION_SMS, DeliveryState.SENT, NOW); // not a reminder
        stats.optedOut(NOW.minus(Duration.ofHours(1)));
        StatsReport.Reminders reminders = stats.report(7).reminders();
        assertEquals(2, reminders.sent());
        assertEquals(2, reminders.delivered());
        assertEquals(1, reminders.optedOut());
        assertEquals(0.5, reminders.noShowRateReminded());
        assertEquals(1.0, reminders.noShowRateNotReminded());
    }

    @Test
    void memoryStaysWithinTheKeptDays() {
        SyntheticPractice.feed(stats, 20_000, 20, NOW.minus(Duration.ofDays(365)), NOW, NEW_YORK, 7);
        assertTrue(stats.daysHeld() <= PracticeStats.DAYS_KEPT + 1 + 30, "days held: " + stats.daysHeld());
        assertEquals(20, stats.report(90).providers().size(), "twenty providers in the last 30 days");
    }

    private static Appointment appt(String id, AppointmentStatus status, Instant start) {
        return new Appointment(id, status, OffsetDateTime.ofInstant(start, java.time.ZoneOffset.UTC), "pr_1", "Dr. X",
                Reachability.NONE, null);
    }

    /**
     * The same history folded live (clock moving with it) and at replay (clock = now) must give
     * the same reminded/not-reminded split. At replay the size-triggered sweep uses the wall
     * clock and forgets reminders whose visits have not had their outcome folded yet.
     */
    @Test
    void remindedSplitIsTheSameAtReplayAsLive() {
        MutableClock liveClock = new MutableClock(NOW.minus(Duration.ofDays(60)));
        PracticeStats live = new PracticeStats(java.time.ZoneOffset.UTC, liveClock);
        PracticeStats replay = new PracticeStats(java.time.ZoneOffset.UTC, new MutableClock(NOW));
        Instant t0 = NOW.minus(Duration.ofDays(60));
        int n = 30_000;
        for (int i = 0; i < n; i++) {
            // one appointment every 2.5 minutes: visits ~1 day after the reminder
            Instant remindAt = t0.plusSeconds(150L * i);
            Instant visit = remindAt.plus(Duration.ofDays(1));
            String id = "a" + i;
            liveClock.set(remindAt);
            live.deliveryState(id, DeliveryKind.REMINDER_SMS, DeliveryState.SENT, visit);
            replay.deliveryState(id, DeliveryKind.REMINDER_SMS, DeliveryState.SENT, visit);
            // the outcome of the visit booked a day earlier
            if (i >= 576) {
                String earlier = "a" + (i - 576);
                Instant earlierVisit = t0.plusSeconds(150L * (i - 576)).plus(Duration.ofDays(1));
                Appointment booked = appt(earlier, AppointmentStatus.BOOKED, earlierVisit);
                Appointment in = appt(earlier, AppointmentStatus.CHECKED_IN, earlierVisit);
                Appointments.Change c = new Appointments.Change(booked, in, EventType.CHECKED_IN);
                live.appointmentChanged(c, event(EventType.CHECKED_IN), earlierVisit);
                replay.appointmentChanged(c, event(EventType.CHECKED_IN), earlierVisit);
            }
        }
        liveClock.set(NOW);
        StatsReport.Reminders l = live.report(30).reminders();
        StatsReport.Reminders r = replay.report(30).reminders();
        assertEquals(l.noShowRateNotReminded(), r.noShowRateNotReminded(), "live " + l + " vs replay " + r);
        assertEquals(l, r);
    }

    /** A visit moved from Monday 9:00 to Tuesday 15:00 still shows at Monday 9:00 in "busiest visit times". */
    @Test
    void aRescheduledVisitMovesInTheBusiestTimes() {
        PracticeStats stats = new PracticeStats(java.time.ZoneOffset.UTC, new MutableClock(NOW));
        Instant mon9 = Instant.parse("2026-11-02T09:00:00Z");
        Instant tue15 = Instant.parse("2026-11-03T15:00:00Z");
        Appointment a = appt("a", AppointmentStatus.BOOKED, mon9);
        Appointment moved = appt("a", AppointmentStatus.BOOKED, tue15);
        stats.appointmentChanged(new Appointments.Change(null, a, EventType.CREATED), event(EventType.CREATED),
                Instant.parse("2026-10-30T10:00:00Z"));
        stats.appointmentChanged(new Appointments.Change(a, moved, EventType.UPDATED), event(EventType.UPDATED),
                Instant.parse("2026-10-31T10:00:00Z"));
        int[][] visits = stats.report(7).visitsByHourOfWeek();
        assertEquals(0, visits[0][9], "Monday 9:00 no longer has a visit");
        assertEquals(1, visits[1][15], "Tuesday 15:00 has it");
    }

    /** A cancelled visit is not a visit. */
    @Test
    void aCancelledVisitIsNotABusyTime() {
        PracticeStats stats = new PracticeStats(java.time.ZoneOffset.UTC, new MutableClock(NOW));
        Instant mon9 = Instant.parse("2026-11-02T09:00:00Z");
        Appointment a = appt("a", AppointmentStatus.BOOKED, mon9);
        stats.appointmentChanged(new Appointments.Change(null, a, EventType.CREATED), event(EventType.CREATED),
                Instant.parse("2026-10-30T10:00:00Z"));
        stats.appointmentChanged(new Appointments.Change(a, appt("a", AppointmentStatus.CANCELLED, mon9), EventType.CANCELLED),
                event(EventType.CANCELLED), Instant.parse("2026-10-31T10:00:00Z"));
        assertEquals(0, stats.report(7).visitsByHourOfWeek()[0][9]);
    }

    @Test
    void aRepeatedCancellationCountsOnce() {
        Appointment a = appointment("a", AppointmentStatus.BOOKED, "2026-11-05T10:00:00-05:00", "pr_1");
        Appointment cancelled = appointment("a", AppointmentStatus.CANCELLED, "2026-11-05T10:00:00-05:00", "pr_1");
        change(null, a, EventType.CREATED, "2026-11-02T15:00:00Z");
        change(a, cancelled, EventType.CANCELLED, "2026-11-02T16:00:00Z");
        change(cancelled, cancelled, EventType.CANCELLED, "2026-11-02T16:05:00Z");
        assertEquals(1, stats.report(7).totals().cancelled());
        assertEquals(1, stats.report(7).providers().get(0).cancellations());
    }

    @Test
    void daysOlderThanTheLongestWindowKeepTheirTotalsButNotTheirProviders() {
        ZoneId zone = ZoneId.of("America/New_York");
        Instant now = Instant.parse("2026-11-27T20:00:00Z");
        PracticeStats stats = new PracticeStats(zone, Clock.fixed(now, zone));
        SyntheticPractice.feed(stats, 6_000, 30, now.minus(Duration.ofDays(2 * 365)), now, zone, 3);
        java.time.LocalDate today = stats.today();
        StatsReport old = stats.report(today.minusDays(700), today.minusDays(600));
        assertTrue(old.totals().created() > 0, "the totals are kept for the comparison with the year before");
        assertTrue(old.providers().isEmpty(), "per-provider counts are kept only " + PracticeStats.PROVIDER_DAYS_KEPT + " days");
        assertEquals(30, stats.report(today.minusDays(PracticeStats.PROVIDER_DAYS_KEPT - 1L), today).providers().size());
        assertEquals(today.minusDays(PracticeStats.PROVIDER_DAYS_KEPT - 1L), stats.oldestDayKept(),
                "a custom window starts where providers are still counted");
    }
}
