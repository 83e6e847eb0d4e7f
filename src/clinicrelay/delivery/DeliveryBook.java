package clinicrelay.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The delivery engine's memory: every delivery's state, the due queue, opted-out numbers
 * and attempts in flight. It changes only through the methods below, one per journal
 * record type, called in journal order during replay and right after each record is on
 * disk when live; so the state after a restart is exactly the state before it.
 * Not thread-safe: owned by the engine's thread.
 */
final class DeliveryBook {
    /** A due-queue entry; stale once its delivery's due time or state has changed (lazy deletion). */
    private record Due(Instant at, Delivery delivery) {
    }

    private final Map<String, Delivery> byId = new HashMap<>();
    private final Map<String, List<Delivery>> byAppointment = new HashMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    private final Set<String> optedOut = new HashSet<>();
    /** Attempts started with no result yet, with what was sent: reconciled after a crash. */
    private final Map<String, OutgoingMessage> inFlight = new LinkedHashMap<>();

    Delivery get(String id) {
        return byId.get(id);
    }

    boolean contains(String id) {
        return byId.containsKey(id);
    }

    void planned(PlannedDelivery planned) {
        if (byId.containsKey(planned.id())) {
            return;
        }
        Delivery delivery = new Delivery(planned.id(), planned.appointmentId(), planned.kind(), planned.dueAt(), planned.notAfter());
        byId.put(delivery.id, delivery);
        byAppointment.computeIfAbsent(delivery.appointmentId, id -> new ArrayList<>(4)).add(delivery);
        due.add(new Due(delivery.dueAt, delivery));
    }

    void cancelled(String id) {
        Delivery delivery = byId.get(id);
        if (delivery != null && delivery.state.isPending()) {
            delivery.state = DeliveryState.CANCELLED;
        }
    }

    void attemptStarted(OutgoingMessage message, Instant startedAt) {
        Delivery delivery = byId.get(message.deliveryId());
        if (delivery != null) {
            delivery.state = DeliveryState.ATTEMPTING;
            delivery.attempts = message.attempt();
            delivery.attemptStartedAt = startedAt;
            inFlight.put(delivery.id, message);
        }
    }

    /** An attempt's end; PENDING with {@code retryAt} puts the delivery back in the queue. */
    void result(String id, DeliveryState state, String providerId, String error, Instant retryAt) {
        Delivery delivery = byId.get(id);
        if (delivery == null) {
            return;
        }
        inFlight.remove(id);
        delivery.state = state;
        delivery.lastError = error;
        if (providerId != null) {
            delivery.providerId = providerId;
        }
        if (state.isPending() && retryAt != null) {
            delivery.dueAt = retryAt;
            due.add(new Due(retryAt, delivery));
        }
    }

    /** A provider status; it may only move a sent message forward (callbacks arrive out of order). */
    boolean status(String id, DeliveryState status) {
        Delivery delivery = byId.get(id);
        if (delivery == null || delivery.state.rank() == 0 || status.rank() <= delivery.state.rank()) {
            return false;
        }
        delivery.state = status;
        return true;
    }

    void optedOut(String phone) {
        optedOut.add(phone);
    }

    void optedIn(String phone) {
        optedOut.remove(phone);
    }

    boolean isOptedOut(String phone) {
        return optedOut.contains(phone);
    }

    /** The next delivery due at or before {@code now}, taken off the queue; null when none. */
    Delivery takeDue(Instant now) {
        while (!due.isEmpty()) {
            Due next = due.peek();
            if (!next.delivery().state.isPending() || !next.at().equals(next.delivery().dueAt)) {
                due.poll();
                continue;
            }
            if (next.at().isAfter(now)) {
                return null;
            }
            due.poll();
            return next.delivery();
        }
        return null;
    }

    /** When the next pending delivery is due, or null when none is. */
    Instant nextDueAt() {
        while (!due.isEmpty()) {
            Due next = due.peek();
            if (next.delivery().state.isPending() && next.at().equals(next.delivery().dueAt)) {
                return next.at();
            }
            due.poll();
        }
        return null;
    }

    /** Puts a pending delivery back for a later time (quiet hours, a busy channel). */
    void postpone(Delivery delivery, Instant until) {
        delivery.dueAt = until;
        due.add(new Due(until, delivery));
    }

    List<Planner.Pending> pendingFor(String appointmentId) {
        List<Planner.Pending> pending = new ArrayList<>();
        for (Delivery delivery : byAppointment.getOrDefault(appointmentId, List.of())) {
            if (delivery.state.isPending()) {
                pending.add(new Planner.Pending(delivery.id, delivery.kind));
            }
        }
        return pending;
    }

    Collection<OutgoingMessage> inFlight() {
        return List.copyOf(inFlight.values());
    }

    /** Deliveries per state, for /health and the operator view. */
    Map<DeliveryState, Integer> countByState() {
        Map<DeliveryState, Integer> counts = new java.util.EnumMap<>(DeliveryState.class);
        for (Delivery delivery : byId.values()) {
            counts.merge(delivery.state, 1, Integer::sum);
        }
        return counts;
    }

    int size() {
        return byId.size();
    }

    /** True while some delivery for the appointment may still act (pending or in flight). */
    boolean hasOpenDeliveries(String appointmentId) {
        for (Delivery delivery : byAppointment.getOrDefault(appointmentId, List.of())) {
            if (delivery.state.isPending() || delivery.state == DeliveryState.ATTEMPTING) {
                return true;
            }
        }
        return false;
    }

    /**
     * Forgets deliveries whose appointment started before {@code cutoff} and that are done;
     * dead, failed and undelivered ones stay until {@code problemCutoff}, for the operator.
     */
    int evictFinishedBefore(Instant cutoff, Instant problemCutoff) {
        int before = byId.size();
        byId.values().removeIf(d -> {
            boolean problem = d.state == DeliveryState.DEAD || d.state == DeliveryState.FAILED
                    || d.state == DeliveryState.UNDELIVERED;
            boolean open = d.state.isPending() || d.state == DeliveryState.ATTEMPTING;
            return !open && d.notAfter.isBefore(problem ? problemCutoff : cutoff);
        });
        byAppointment.values().forEach(list -> list.removeIf(d -> !byId.containsKey(d.id)));
        byAppointment.values().removeIf(List::isEmpty);
        return before - byId.size();
    }

    List<DeliveryEngine.View> views() {
        List<DeliveryEngine.View> views = new ArrayList<>(byId.size());
        for (Delivery d : byId.values()) {
            views.add(new DeliveryEngine.View(d.id, d.appointmentId, d.kind, d.state, d.attempts, d.lastError, d.dueAt,
                    d.providerId));
        }
        return views;
    }
}
