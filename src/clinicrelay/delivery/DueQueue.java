package clinicrelay.delivery;

import clinicrelay.planning.Lane;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Pending deliveries by due time, one queue per lane, so a lane whose slots are all taken
 * never hides what is due in another. A delivery has one current entry; scheduling it again
 * makes any older entry stale, and stale entries are dropped when they reach the head
 * (lazy deletion: no search through the queue).
 */
final class DueQueue {
    private record Due(Instant at, Delivery delivery, int ticket) {
        boolean isCurrent() {
            return delivery.state.isPending() && ticket == delivery.queueTicket;
        }
    }

    private final Map<Lane, PriorityQueue<Due>> byLane = new EnumMap<>(Lane.class);

    DueQueue() {
        for (Lane lane : Lane.values()) {
            byLane.put(lane, new PriorityQueue<>((a, b) -> a.at().compareTo(b.at())));
        }
    }

    /** Makes {@code at} the delivery's one due time. */
    void schedule(Delivery delivery, Instant at) {
        delivery.dueAt = at;
        delivery.queueTicket++;
        byLane.get(delivery.lane()).add(new Due(at, delivery, delivery.queueTicket));
    }

    /** Current entries in all queues: one per pending delivery (an invariant; a scan, for start-up checks). */
    int currentEntries() {
        int current = 0;
        for (PriorityQueue<Due> queue : byLane.values()) {
            for (Due due : queue) {
                current += due.isCurrent() ? 1 : 0;
            }
        }
        return current;
    }

    /** The next delivery of this lane due at or before {@code now}, taken off the queue; null when none. */
    Delivery takeDue(Lane lane, Instant now) {
        Due next = head(lane);
        if (next == null || next.at().isAfter(now)) {
            return null;
        }
        byLane.get(lane).poll();
        return next.delivery();
    }

    /** When this lane's next pending delivery is due, or null. */
    Instant nextDueAt(Lane lane) {
        Due next = head(lane);
        return next == null ? null : next.at();
    }

    /** When the next pending delivery of any lane is due, or null. */
    Instant nextDueAt() {
        Instant earliest = null;
        for (Lane lane : Lane.values()) {
            earliest = earlier(earliest, nextDueAt(lane));
        }
        return earliest;
    }

    static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private Due head(Lane lane) {
        PriorityQueue<Due> queue = byLane.get(lane);
        while (!queue.isEmpty() && !queue.peek().isCurrent()) {
            queue.poll();
        }
        return queue.peek();
    }
}
