package clinicrelay.app;

import clinicrelay.delivery.EngineInbox;
import clinicrelay.ingest.Capacity;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.metrics.RelayMetrics;

/**
 * Refuses new events before memory runs out, the way a storage failure is refused (the
 * Zocdoc routes drop the connection, so Zocdoc delivers again; other routes answer 503),
 * while everything already stored keeps being planned and sent. Two limits, each
 * recovering by itself once the load drops:
 *
 * <ul>
 *   <li>events stored but not yet planned (each holds its patient data in memory until the
 *   engine gets to it): a flood faster than the engine;</li>
 *   <li>the old generation's occupancy right after a garbage collection: what is really
 *   live, not garbage waiting to be collected.</li>
 * </ul>
 *
 * Entering and leaving the refusing state is one log line each and a gauge; {@code /health}
 * says {@code degraded} with the reason while it lasts.
 */
final class CapacityGuard implements Capacity {
    private final EngineInbox inbox;
    private final HeapProbe heap;
    private final CapacityLimits limits;
    private final RelayMetrics metrics;
    private final Log log;
    /** The reason new events are refused, or null while they are taken. */
    private String refusing;

    CapacityGuard(EngineInbox inbox, HeapProbe heap, CapacityLimits limits, RelayMetrics metrics, Log log) {
        this.inbox = inbox;
        this.heap = heap;
        this.limits = limits;
        this.metrics = metrics;
        this.log = log;
    }

    @Override
    public String refusal() {
        String reason = inbox.unplanned() > limits.unplannedEventsMax() ? "engine backlog"
                : heap.overBudget() ? "heap" : null;
        noteChange(reason);
        return reason;
    }


    private synchronized void noteChange(String reason) {
        if (reason == null ? refusing == null : reason.equals(refusing)) {
            return;
        }
        if (reason != null) {
            log.warn("over capacity: new events are refused until there is room; stored ones are still sent",
                    Field.reason(reason), Field.count("unplanned", inbox.unplanned()));
        } else {
            log.info("capacity available again: new events are taken", Field.reason(refusing));
        }
        refusing = reason;
        metrics.overCapacity(reason != null);
    }
}
