package clinicrelay.app;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/** Whether what is live in the heap is over its budget; production watches the old generation, tests set it. */
@FunctionalInterface
public interface HeapProbe {
    /**
     * How often, at most, a probe that finds the heap over budget runs a full collection to
     * look again: without one, a quiet relay would keep the last (high) measurement and
     * refuse for as long as nothing allocates.
     */
    long RECHECK_MILLIS = 10_000;

    boolean overBudget();

    /**
     * The old generation's occupancy right after its last collection against
     * {@code fraction} of its maximum (the JVM's collection-usage threshold: the check
     * costs nothing). While over, at most every {@link #RECHECK_MILLIS} it collects once
     * more, so the probe sees the room a load that dropped has left.
     */
    static HeapProbe oldGeneration(double fraction) {
        MemoryPoolMXBean old = null;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP || !pool.isCollectionUsageThresholdSupported()
                    || pool.getUsage().getMax() <= 0) {
                continue;
            }
            if (old == null || isOldGeneration(pool) && !isOldGeneration(old)) {
                old = pool;
            }
        }
        if (old == null) {
            return () -> false; // nothing bounded to watch: the backlog limit still holds
        }
        old.setCollectionUsageThreshold((long) (old.getUsage().getMax() * fraction));
        MemoryPoolMXBean watched = old;
        long[] lastRecheck = {0};
        return () -> {
            if (!watched.isCollectionUsageThresholdExceeded()) {
                return false;
            }
            synchronized (lastRecheck) {
                long now = System.nanoTime();
                if (lastRecheck[0] == 0 || now - lastRecheck[0] > RECHECK_MILLIS * 1_000_000L) {
                    lastRecheck[0] = now;
                    System.gc(); // a full collection measures what is live now
                }
            }
            return watched.isCollectionUsageThresholdExceeded();
        };
    }

    private static boolean isOldGeneration(MemoryPoolMXBean pool) {
        String name = pool.getName().toLowerCase(Locale.ROOT);
        return name.contains("old") || name.contains("tenured");
    }
}
