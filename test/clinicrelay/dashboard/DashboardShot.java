package clinicrelay.dashboard;

import clinicrelay.analytics.PracticeStats;
import clinicrelay.analytics.SyntheticPractice;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.AppointmentStatus;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.Reachability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code make dashboard-shot}: renders the pages of a made-up practice (a year, six
 * providers) to HTML files, which headless Chromium then photographs.
 * usage: DashboardShot OUT.html [days | from:to | deliveries | appointment | nozone]
 */
public final class DashboardShot {
    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final Instant NOW = Instant.parse("2026-11-27T20:00:00Z");
    private static final String CLINIC = "Elm Street Clinic";

    private DashboardShot() {
    }

    public static void main(String[] args) throws Exception {
        PracticeStats stats = new PracticeStats(ZONE, Clock.fixed(NOW, ZONE));
        SyntheticPractice.feed(stats, 9_000, 6, NOW.minus(Duration.ofDays(365)), NOW, ZONE, 42);
        String what = args.length > 1 ? args[1] : "30";
        String page;
        if (what.equals("deliveries")) {
            page = DeliveriesPage.render(CLINIC, DeliveryState.FAILED, failed(), DashboardRoutes.DELIVERIES_LISTED_MAX, 2, ZONE);
        } else if (what.equals("appointment")) {
            page = AppointmentPage.render(CLINIC, "zd-appt-4417", new Appointment("zd-appt-4417", AppointmentStatus.BOOKED,
                    NOW.plus(Duration.ofDays(1)).atZone(ZONE).withHour(9).withMinute(30).toOffsetDateTime(), "pr_2",
                    "Dr. Maya Okafor", new Reachability(true, true, true, true), null), messages(), true, ZONE);
        } else {
            boolean zoneSet = !what.equals("nozone");
            what = zoneSet ? what : "7";
            Window window = what.contains(":")
                    ? new Window(LocalDate.parse(what.split(":")[0]), LocalDate.parse(what.split(":")[1]), null)
                    : new Window(stats.today().minusDays(Integer.parseInt(what) - 1L), stats.today(), Integer.parseInt(what));
            page = DashboardPage.render(new DashboardPage.View(stats.report(window.from(), window.to()), window,
                    Map.of(DeliveryState.DEAD, 2, DeliveryState.FAILED, 3, DeliveryState.PENDING, 214),
                    Upcoming.of(ahead(), stats.today(), ZONE, id -> id.hashCode() % 3 == 0), CLINIC, zoneSet));
        }
        Files.writeString(Path.of(args[0]), page, StandardCharsets.UTF_8);
    }

    /** Two weeks of a six-provider diary. */
    private static List<Appointment> ahead() {
        Random random = new Random(7);
        String[] names = {"Dr. Maya Okafor", "Dr. Jane Smith", "Dr. Luis Ortega", "Dr. Chen Wei", "Dr. Ada Novak", "Dr. Sam Reid"};
        List<Appointment> booked = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int provider = random.nextInt(names.length);
            booked.add(new Appointment("appt-" + i, AppointmentStatus.BOOKED, NOW.plus(Duration.ofHours(2 + random.nextInt(13 * 24)))
                    .atZone(ZONE).toOffsetDateTime(), "pr_" + provider, names[provider], new Reachability(true, true, true, true), null));
        }
        return booked;
    }

    private static List<DeliveryView> failed() {
        List<DeliveryView> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(new DeliveryView("d-" + i, "zd-appt-90" + i, DeliveryKind.REMINDER_SMS, DeliveryState.FAILED, 1,
                    "twilio http 401 code 20003", NOW.minus(Duration.ofHours(i)), null, "+1•••••••01" + i + "9"));
        }
        rows.add(new DeliveryView("d-9", "zd-appt-955", DeliveryKind.CONFIRMATION_SMS, DeliveryState.FAILED, 1,
                "twilio http 400 code 21211", NOW.minus(Duration.ofHours(5)), null, "+1•••••••0042"));
        return rows;
    }

    private static List<DeliveryView> messages() {
        return List.of(
                new DeliveryView("m1", "zd-appt-4417", DeliveryKind.CONFIRMATION_SMS, DeliveryState.DELIVERED, 1, null,
                        NOW.minus(Duration.ofDays(6)), "SM1", "+1•••••••0199"),
                new DeliveryView("m2", "zd-appt-4417", DeliveryKind.CONFIRMATION_EMAIL, DeliveryState.SENT, 1, null,
                        NOW.minus(Duration.ofDays(6)), "sg-1", "x•••@•••.com"),
                new DeliveryView("m3", "zd-appt-4417", DeliveryKind.REMINDER_SMS, DeliveryState.DELIVERED, 1, null,
                        NOW.minus(Duration.ofHours(2)), "SM9", "+1•••••••0199"));
    }
}
