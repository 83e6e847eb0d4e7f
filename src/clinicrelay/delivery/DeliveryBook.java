package clinicrelay.delivery;

import java.time.Instant;
import java.util.ArrayList;
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
    /** A due-queue entry; stale once its delivery was queued again or is no longer pending (lazy deletion). */
    private record Due(Instant at, Delivery delivery, int ticket) {
        boolean isCurrent() {
            return delivery.state.isPending() && ticket == delivery.queueTicket;
        }
    }

    private final Map<String, Delivery> byId = new HashMap<>();
    private final Map<String, List<Delivery>> byAppointment = new HashMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    private final Set<String> optedOut = new HashSet<>();
    /**
     * What was last sent for each delivery whose outcome is not settled: attempts with no
     * result yet (reconciled after a crash) and sends with an unknown outcome (looked for
     * before any resend).
     */
    private final Map<String, OutgoingMessage> unsettled = new LinkedHashMap<>();
    private final EngineObserver observer;

    DeliveryBook(EngineObserver observer) {
        this.observer = observer;
    }

    Delivery get(String id) {
        return byId.get(id);
    }

    /**
     * A delivery planned; planning an id that was cancelled brings it back (an appointment
     * moved away and back again gets its reminders for that time once more).
     */
    void planned(PlannedDelivery planned) {
        Delivery existing = byId.get(planned.id());
        if (existing != null) {
            if (existing.state == DeliveryState.CANCELLED) {
                existing.state = DeliveryState.PENDING;
                existing.lastError = null;
                enqueue(existing, planned.dueAt());
            }
            return;
        }
        Delivery delivery = new Delivery(planned.id(), planned.appointmentId(), planned.kind(), planned.dueAt(), planned.notAfter());
        byId.put(delivery.id, delivery);
        byAppointment.computeIfAbsent(delivery.appointmentId, id -> new ArrayList<>(4)).add(delivery);
        enqueue(delivery, delivery.dueAt);
    }

    /** True when planning this id would add or revive a delivery (it is unknown or was cancelled). */
    boolean wouldPlan(String id) {
        Delivery existing = byId.get(id);
        return existing == null || existing.state == DeliveryState.CANCELLED;
    }

    void cancelled(String id) {
        Delivery delivery = byId.get(id);
        if (delivery != null && delivery.state.isPending()) {
            delivery.state = DeliveryState.CANCELLED;
            delivery.verify = false;
            unsettled.remove(id);
            observer.deliveryState(delivery.appointmentId, delivery.kind, DeliveryState.CANCELLED, delivery.notAfter);
        }
    }

    /**
     * An attempt started: a send, or (when {@code check}) a look at the provider for a
     * message whose send had an unknown outcome.
     */
    void attemptStarted(OutgoingMessage message, Instant startedAt, boolean check) {
        Delivery delivery = byId.get(message.deliveryId());
        if (delivery != null) {
            delivery.state = DeliveryState.ATTEMPTING;
            delivery.attempts = message.attempt();
            if (!check || delivery.sentSince == null) {
                delivery.sentSince = startedAt;
            }
            unsettled.put(delivery.id, message);
        }
    }

    /**
     * An attempt's end; PENDING with {@code retryAt} puts the delivery back in the queue,
     * and with {@code verify} the message is kept so the next attempt can look for it.
     */
    void result(String id, DeliveryState state, String providerId, String error, Instant retryAt, boolean verify) {
        Delivery delivery = byId.get(id);
        if (delivery == null) {
            return;
        }
        delivery.state = state;
        delivery.lastError = error;
        delivery.verify = state.isPending() && verify;
        if (!delivery.verify) {
            unsettled.remove(id);
        }
        if (providerId != null) {
            delivery.providerId = providerId;
        }
        DeliveryState early = delivery.earlyStatus;
        delivery.earlyStatus = null;
        if (early != null && (state == DeliveryState.SENT || delivery.verify)) {
            // the provider already reported on this message: it was sent, whatever the answer said
            observer.deliveryState(delivery.appointmentId, delivery.kind, DeliveryState.SENT, delivery.notAfter);
            settleByStatus(delivery, early);
            return;
        }
        if (!state.isPending()) {
            observer.deliveryState(delivery.appointmentId, delivery.kind, state, delivery.notAfter);
        }
        if (state.isPending() && retryAt != null) {
            enqueue(delivery, retryAt);
        }
    }

    /**
     * A provider status; it may only move a sent message forward (callbacks arrive out of
     * order). One that beats the send's own result is kept and applied with it.
     */
    boolean status(String id, DeliveryState status) {
        Delivery delivery = byId.get(id);
        if (delivery != null && delivery.state == DeliveryState.ATTEMPTING) {
            if (delivery.earlyStatus == null || status.rank() > delivery.earlyStatus.rank()) {
                delivery.earlyStatus = status;
            }
            return true;
        }
        if (delivery != null && delivery.verify) {
            // proof that the send whose outcome was unknown went out
            observer.deliveryState(delivery.appointmentId, delivery.kind, DeliveryState.SENT, delivery.notAfter);
            settleByStatus(delivery, status);
            return true;
        }
        if (delivery == null || delivery.state.rank() == 0 || status.rank() <= delivery.state.rank()) {
            return false;
        }
        delivery.state = status;
        observer.deliveryState(delivery.appointmentId, delivery.kind, status, delivery.notAfter);
        return true;
    }

    /** A provider status settles a delivery whose send had an unknown outcome: no check, no resend. */
    private void settleByStatus(Delivery delivery, DeliveryState status) {
        observer.deliveryState(delivery.appointmentId, delivery.kind, status, delivery.notAfter);
        delivery.state = status;
        delivery.verify = false;
        unsettled.remove(delivery.id);
    }

    /** Dead and failed deliveries may be tried again by the operator. */
    boolean isRetryable(String id) {
        Delivery delivery = byId.get(id);
        return delivery != null && (delivery.state == DeliveryState.DEAD || delivery.state == DeliveryState.FAILED);
    }

    /** The operator's retry: pending again from {@code at}, with a fresh attempt budget. */
    void retryRequested(String id, Instant at) {
        Delivery delivery = byId.get(id);
        if (delivery == null || !isRetryable(id)) {
            return;
        }
        delivery.state = DeliveryState.PENDING;
        delivery.attempts = 0;
        delivery.verify = false;
        delivery.lastError = "retry requested";
        unsettled.remove(id);
        enqueue(delivery, at);
    }

    /** The deliveries in one state, oldest due first. */
    List<Delivery> inState(DeliveryState state) {
        List<Delivery> found = new ArrayList<>();
        for (Delivery delivery : byId.values()) {
            if (delivery.state == state) {
                found.add(delivery);
            }
        }
        found.sort((a, b) -> a.dueAt.compareTo(b.dueAt));
        return found;
    }

    /** Whether a status for this delivery would change anything (see {@link #status}). */
    boolean wouldTakeStatus(String id, DeliveryState status) {
        Delivery delivery = byId.get(id);
        if (delivery == null) {
            return false;
        }
        if (delivery.state == DeliveryState.ATTEMPTING) {
            return delivery.earlyStatus == null || status.rank() > delivery.earlyStatus.rank();
        }
        if (delivery.verify) {
            return true;
        }
        return delivery.state.rank() > 0 && status.rank() > delivery.state.rank();
    }

    void optedOut(String phone, Instant at) {
        if (optedOut.add(phone)) {
            observer.optedOut(at);
        }
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
            if (!next.isCurrent()) {
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
            if (next.isCurrent()) {
                return next.at();
            }
            due.poll();
        }
        return null;
    }

    /** Puts a pending delivery back for a later time (quiet hours, a busy channel). */
    void postpone(Delivery delivery, Instant until) {
        enqueue(delivery, until);
    }

    /** Makes {@code at} the delivery's one due time: any earlier queue entry for it goes stale. */
    private void enqueue(Delivery delivery, Instant at) {
        delivery.dueAt = at;
        delivery.queueTicket++;
        due.add(new Due(at, delivery, delivery.queueTicket));
    }

    /** The appointment's pending messages (a pending "fetch details" step is not one: plans never withdraw it). */
    List<Planner.Pending> pendingFor(String appointmentId) {
        List<Planner.Pending> pending = new ArrayList<>();
        for (Delivery delivery : byAppointment.getOrDefault(appointmentId, List.of())) {
            if (delivery.state.isPending() && delivery.kind != DeliveryKind.FETCH_DETAILS) {
                pending.add(new Planner.Pending(delivery.id, delivery.kind));
            }
        }
        return pending;
    }

    /** Attempts started and never finished: what a crash left in flight. */
    List<OutgoingMessage> inFlight() {
        List<OutgoingMessage> messages = new ArrayList<>();
        for (OutgoingMessage message : unsettled.values()) {
            if (byId.get(message.deliveryId()).state == DeliveryState.ATTEMPTING) {
                messages.add(message);
            }
        }
        return messages;
    }

    /** Provider ids recorded for the other deliveries of the same appointment. */
    java.util.Set<String> providerIdsOfOthers(Delivery delivery) {
        Set<String> ids = new HashSet<>();
        for (Delivery other : byAppointment.getOrDefault(delivery.appointmentId, List.of())) {
            if (other != delivery && other.providerId != null) {
                ids.add(other.providerId);
            }
        }
        return ids;
    }

    /** The message last sent for a delivery whose outcome is unknown, or null. */
    OutgoingMessage unsettled(String id) {
        return unsettled.get(id);
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
