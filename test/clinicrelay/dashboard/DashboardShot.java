package clinicrelay.dashboard;

import clinicrelay.analytics.PracticeStats;
import clinicrelay.analytics.SyntheticPractice;
import clinicrelay.delivery.DeliveryState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * {@code make dashboard-shot}: renders the dashboard of a made-up practice (a year, six
 * providers) to an HTML file, which headless Chromium then photographs.
 * usage: DashboardShot OUT.html [days]
 */
public final class DashboardShot {
    private DashboardShot() {
    }

    public static void main(String[] args) throws Exception {
        ZoneId zone = ZoneId.of("America/New_York");
        Instant now = Instant.parse("2026-11-27T20:00:00Z");
        PracticeStats stats = new PracticeStats(zone, Clock.fixed(now, zone));
        SyntheticPractice.feed(stats, 9_000, 6, now.minus(Duration.ofDays(365)), now, zone, 42);
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String page = DashboardPage.render(stats.report(days),
                Map.of(DeliveryState.DEAD, 2, DeliveryState.FAILED, 1, DeliveryState.PENDING, 214), "Elm Street Clinic");
        Files.writeString(Path.of(args[0]), page, StandardCharsets.UTF_8);
    }
}
