package clinicrelay.dashboard;

import clinicrelay.analytics.PracticeStats;
import clinicrelay.analytics.SyntheticPractice;
import clinicrelay.delivery.DeliveryState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard with a year of a busy practice behind it: 100 000 appointments
 * among 20 providers. Prints the memory the figures hold and the time to render the page
 * (90-day window, median of 50 after warm-up), as one line for bench/run.sh.
 */
public final class DashboardBench {
    private static final int APPOINTMENTS = 100_000;
    private static final int PROVIDERS = 20;
    private static final int WARMUP = 30;
    private static final int MEASURED = 50;

    private DashboardBench() {
    }

    /** The 90-day page with the period before it, as a manager opens it. */
    private static DashboardPage.View view(PracticeStats stats, Map<DeliveryState, Integer> counts) {
        Window window = new Window(stats.today().minusDays(89), stats.today(), 90);
        return new DashboardPage.View(stats.report(window.from(), window.to()), window, counts,
                new Upcoming(java.util.List.of(), java.util.List.of()), "Bench Clinic", true);
    }

    public static void main(String[] args) {
        ZoneId zone = ZoneId.of("America/New_York");
        Instant now = Instant.parse("2026-11-27T20:00:00Z");
        long before = usedHeap();
        PracticeStats stats = new PracticeStats(zone, Clock.fixed(now, zone));
        long foldStarted = System.nanoTime();
        SyntheticPractice.feed(stats, APPOINTMENTS, PROVIDERS, now.minus(Duration.ofDays(365)), now, zone, 1);
        long foldNanos = System.nanoTime() - foldStarted;
        long held = usedHeap() - before;
        Map<DeliveryState, Integer> counts = Map.of(DeliveryState.PENDING, 1_000);
        int bytes = 0;
        for (int i = 0; i < WARMUP; i++) {
            bytes = DashboardPage.render(view(stats, counts)).length();
        }
        double[] millis = new double[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long started = System.nanoTime();
            DashboardPage.render(view(stats, counts));
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(millis);
        System.out.println(String.format(Locale.ROOT,
                "DASHBOARD appointments=%d providers=%d days_held=%d stats_mb=%.2f fold_ms=%d render_ms=%.2f render_max_ms=%.2f page_kb=%d",
                APPOINTMENTS, PROVIDERS, stats.daysHeld(), held / 1048576.0, foldNanos / 1_000_000, millis[MEASURED / 2],
                millis[MEASURED - 1], bytes / 1024));
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
