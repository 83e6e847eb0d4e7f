package clinicrelay.delivery;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Lane;
import clinicrelay.planning.PlannedDelivery;
import clinicrelay.planning.Planner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery engine's memory: every delivery's state, the due queues, opted-out numbers
 * and attempts in flight. It changes only through the methods below, one per journal
 * record type, called in journal order during replay and right after each record is on
 * disk when live; so the state after a restart is exactly the state before it. Every state
 * change is checked against {@link DeliveryState#mayBecome}: an illegal one is logged,
 * counted and not applied. Not thread-safe: owned by the engine's thread.
 */
final class DeliveryBook {
    private final Map<String, Delivery> byId = new HashMap<>();
    private final Map<String, List<Delivery>> byAppointment = new HashMap<>();
    private final DueQueue due = new DueQueue();
    private final Set<String> optedOut = new HashSet<>();
    /**
     * What was last sent for each message whose outcome is not settled: attempts with no
     * result yet (reconciled after a crash) and sends with an unknown outcome (looked for
     * before any resend). Steps keep nothing here: one left in flight simply runs again.
     */
    private final Map<String, OutgoingMessage> unsettled = new LinkedHashMap<>();
    private final Map<DeliveryState, Integer> counts = new EnumMap<>(DeliveryState.class);
    private final EngineObserver observer;
    private final Log log;
    private long illegalTransitions;

    DeliveryBook(EngineObserver observer, Log log) {
        this.observer = observer;
        this.log = log;
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
            if (existing.state == DeliveryState.CANCELLED && moveTo(existing, DeliveryState.PENDING)) {
                existing.lastError = null;
                due.schedule(existing, planned.dueAt());
            }
            return;
        }
        Delivery delivery = new Delivery(planned.id(), planned.appointmentId(), planned.kind(), planned.dueAt(), planned.notAfter());
        byId.put(delivery.id, delivery);
        byAppointment.computeIfAbsent(delivery.appointmentId, id -> new ArrayList<>(4)).add(delivery);
        counts.merge(DeliveryState.PENDING, 1, Integer::sum);
        due.schedule(delivery, delivery.dueAt);
    }

    /** True when planning this id would add or revive a delivery (it is unknown or was cancelled). */
    boolean wouldPlan(String id) {
        Delivery existing = byId.get(id);
        return existing == null || existing.state == DeliveryState.CANCELLED;
    }

    void cancelled(String id) {
        Delivery delivery = byId.get(id);
        if (delivery != null && delivery.state.isPending() && moveTo(delivery, DeliveryState.CANCELLED)) {
            delivery.verify = false;
            unsettled.remove(id);
            observer.deliveryState(delivery.appointmentId, delivery.kind, DeliveryState.CANCELLED, delivery.notAfter);
        }
    }

    /**
     * An attempt started: a send, a step, or (when {@code check}) a look at the provider for
     * a message whose send had an unknown outcome.
     *
     * @param message what was sent or looked for; null for a step
     */
    void attemptStarted(String id, int attempt, Instant startedAt, boolean check, OutgoingMessage message) {
        Delivery delivery = byId.get(id);
        if (delivery == null || !moveTo(delivery, DeliveryState.ATTEMPTING)) {
            return;
        }
        delivery.attempts = attempt;
        if (!check || delivery.sentSince == null) {
            delivery.sentSince = startedAt;
        }
        if (message != null) {
            unsettled.put(delivery.id, message);
        }
    }

    /**
     * An attempt's end, or the send gate's decision; {@link DeliveryState#PENDING} with a
     * retry time puts the delivery back in its queue, and with {@code verify} the message is
     * kept so the next attempt can look for it.
     */
    void result(String id, Outcome outcome) {
        Delivery delivery = byId.get(id);
        if (delivery == null || isRepeatedResult(delivery) || !moveTo(delivery, outcome.state())) {
            return;
        }
        delivery.lastError = outcome.error();
        // Only a message can be looked for; a step whose outcome is unknown simply runs again.
        delivery.verify = outcome.state().isPending() && outcome.verify() && delivery.kind.isMessage();
        if (!delivery.verify) {
            unsettled.remove(id);
        }
        if (outcome.providerMessageId() != null) {
            delivery.providerMessageId = outcome.providerMessageId();
        }
        DeliveryState early = delivery.earlyStatus;
        delivery.earlyStatus = null;
        if (early != null && (outcome.state() == DeliveryState.SENT || delivery.verify)) {
            // the provider already reported on this message: it was sent, whatever the answer said
            observer.deliveryState(delivery.appointmentId, delivery.kind, DeliveryState.SENT, delivery.notAfter);
            settleByStatus(delivery, early);
            return;
        }
        if (!outcome.state().isPending()) {
            observer.deliveryState(delivery.appointmentId, delivery.kind, outcome.state(), delivery.notAfter);
        }
        if (outcome.state().isPending() && outcome.retryAt() != null) {
            due.schedule(delivery, outcome.retryAt());
        }
    }

    /**
     * Results are written only for a pending delivery (the send gate) or one in flight (an
     * attempt). One for a delivery that is already settled repeats a result already applied:
     * its first write timed out, was written again, and both reached the disk. It changes
     * nothing (it must not take a delivered message back to sent).
     */
    private static boolean isRepeatedResult(Delivery delivery) {
        return !delivery.state.isPending() && delivery.state != DeliveryState.ATTEMPTING;
    }

    /**
     * A provider status; it may only move a sent message forward (callbacks arrive out of
     * order). One that beats the send's own result is kept and applied with it.
     */
    void status(String id, DeliveryState status) {
        Delivery delivery = byId.get(id);
        if (delivery == null || !wouldTakeStatus(id, status)) {
            return;
        }
        if (delivery.state == DeliveryState.ATTEMPTING) {
            delivery.earlyStatus = status;
        } else if (delivery.verify) {
            // proof that the send whose outcome was unknown went out
            observer.deliveryState(delivery.appointmentId, delivery.kind, DeliveryState.SENT, delivery.notAfter);
            settleByStatus(delivery, status);
        } else if (moveTo(delivery, status)) {
            observer.deliveryState(delivery.appointmentId, delivery.kind, status, delivery.notAfter);
        }
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

    /** A provider status settles a delivery whose send had an unknown outcome: no check, no resend. */
    private void settleByStatus(Delivery delivery, DeliveryState status) {
        observer.deliveryState(delivery.appointmentId, delivery.kind, status, delivery.notAfter);
        if (moveTo(delivery, status)) {
            delivery.verify = false;
            unsettled.remove(delivery.id);
        }
    }

    /** Dead and failed deliveries may be tried again by the operator. */
    boolean isRetryable(String id) {
        Delivery delivery = byId.get(id);
        return delivery != null && (delivery.state == DeliveryState.DEAD || delivery.state == DeliveryState.FAILED);
    }

    /** The operator's retry: pending again from {@code at}, with a fresh attempt budget. */
    void retryRequested(String id, Instant at) {
        Delivery delivery = byId.get(id);
        if (!isRetryable(id) || !moveTo(delivery, DeliveryState.PENDING)) {
            return;
        }
        delivery.attempts = 0;
        delivery.verify = false;
        delivery.lastError = "retry requested";
        unsettled.remove(id);
        due.schedule(delivery, at);
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

    /** The next delivery of {@code lane} due at or before {@code now}, taken off its queue; null when none. */
    Delivery takeDue(Lane lane, Instant now) {
        return due.takeDue(lane, now);
    }

    /** When the next pending delivery of {@code lane} is due, or null. */
    Instant nextDueAt(Lane lane) {
        return due.nextDueAt(lane);
    }

    /** When the next pending delivery of any lane is due, or null when none is. */
    Instant nextDueAt() {
        return due.nextDueAt();
    }

    /** Puts a pending delivery back for a later time (quiet hours, a journal that refused its attempt). */
    void postpone(Delivery delivery, Instant until) {
        due.schedule(delivery, until);
    }

    /** The appointment's pending messages (a pending step is not one: plans never withdraw it). */
    List<Planner.Pending> pendingFor(String appointmentId) {
        List<Planner.Pending> pending = new ArrayList<>();
        for (Delivery delivery : byAppointment.getOrDefault(appointmentId, List.of())) {
            if (delivery.state.isPending() && delivery.kind.isMessage()) {
                pending.add(new Planner.Pending(delivery.id, delivery.kind));
            }
        }
        return pending;
    }

    /** Attempts started and never finished: what a crash left in flight (a scan, once at start-up). */
    List<Delivery> inFlight() {
        List<Delivery> attempting = new ArrayList<>();
        for (Delivery delivery : byId.values()) {
            if (delivery.state == DeliveryState.ATTEMPTING) {
                attempting.add(delivery);
            }
        }
        return attempting;
    }

    /** Provider ids recorded for the other deliveries of the same appointment. */
    Set<String> providerIdsOfOthers(Delivery delivery) {
        Set<String> ids = new HashSet<>();
        for (Delivery other : byAppointment.getOrDefault(delivery.appointmentId, List.of())) {
            if (other != delivery && other.providerMessageId != null) {
                ids.add(other.providerMessageId);
            }
        }
        return ids;
    }

    /** The message last sent for a delivery whose outcome is unknown, or null. */
    OutgoingMessage unsettled(String id) {
        return unsettled.get(id);
    }

    /** Deliveries per state (a copy). */
    Map<DeliveryState, Integer> countByState() {
        Map<DeliveryState, Integer> copy = new EnumMap<>(DeliveryState.class);
        counts.forEach((state, count) -> {
            if (count > 0) {
                copy.put(state, count);
            }
        });
        return copy;
    }

    /** Every delivery held (for the operator view's scan and tests' snapshots). */
    Collection<Delivery> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** State changes refused as illegal since start (0 unless there is a bug). */
    long illegalTransitions() {
        return illegalTransitions;
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
            boolean evict = !open && d.notAfter.isBefore(problem ? problemCutoff : cutoff);
            if (evict) {
                counts.merge(d.state, -1, Integer::sum);
            }
            return evict;
        });
        byAppointment.values().forEach(list -> list.removeIf(d -> !byId.containsKey(d.id)));
        byAppointment.values().removeIf(List::isEmpty);
        return before - byId.size();
    }

    /**
     * What must hold of the book after any sequence of records, checked after replay:
     * each finding names the delivery by id (never patient data). Empty when all is well.
     */
    List<String> invariantViolations() {
        List<String> found = new ArrayList<>();
        Map<DeliveryState, Integer> counted = new EnumMap<>(DeliveryState.class);
        int deliveriesByAppointment = 0;
        for (List<Delivery> list : byAppointment.values()) {
            deliveriesByAppointment += list.size();
        }
        if (deliveriesByAppointment != byId.size()) {
            found.add("the appointment index holds " + deliveriesByAppointment + " deliveries, the book " + byId.size());
        }
        for (Delivery delivery : byId.values()) {
            counted.merge(delivery.state, 1, Integer::sum);
            if (delivery.verify && (!delivery.state.isPending() || !unsettled.containsKey(delivery.id))) {
                found.add(delivery.id + ": to be verified but " + delivery.state.wireName() + " with no message kept");
            }
            if (delivery.state == DeliveryState.ATTEMPTING && delivery.kind.isMessage()
                    && !unsettled.containsKey(delivery.id)) {
                found.add(delivery.id + ": attempting with no message kept");
            }
            if (delivery.attempts < 0) {
                found.add(delivery.id + ": negative attempts");
            }
        }
        for (String id : unsettled.keySet()) {
            Delivery delivery = byId.get(id);
            if (delivery == null || !(delivery.state == DeliveryState.ATTEMPTING || delivery.verify)) {
                found.add(id + ": a message kept for a delivery that is settled");
            }
        }
        if (!counted.equals(countByState())) {
            found.add("state counts " + countByState() + " differ from the deliveries' " + counted);
        }
        int pending = counted.getOrDefault(DeliveryState.PENDING, 0);
        if (due.currentEntries() != pending) {
            found.add(pending + " pending deliveries but " + due.currentEntries() + " due entries");
        }
        return found;
    }

    /** The one place a delivery's state changes: refused (logged, counted) when the table forbids it. */
    private boolean moveTo(Delivery delivery, DeliveryState next) {
        if (!delivery.state.mayBecome(next)) {
            illegalTransitions++;
            log.error("illegal delivery state change refused", Field.kind(delivery.kind.wireName()),
                    Field.appointmentId(delivery.appointmentId), Field.outcome(delivery.state.wireName() + "_to_" + next.wireName()));
            return false;
        }
        counts.merge(delivery.state, -1, Integer::sum);
        counts.merge(next, 1, Integer::sum);
        delivery.state = next;
        return true;
    }
}
