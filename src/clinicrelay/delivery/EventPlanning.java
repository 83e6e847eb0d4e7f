package clinicrelay.delivery;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.journal.DurableBatch;
import clinicrelay.journal.JournalRecord;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.Channel;
import clinicrelay.planning.PlannedDelivery;
import clinicrelay.planning.Planner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns stored events into journaled plans, strictly in journal order: folds each event
 * into its appointment, asks the {@link Planner}, and records the deliveries it creates and
 * cancels with a "planned" marker. When the journal refuses a plan, that event and every
 * one after it wait in the backlog until {@link RetryPolicy#BUSY_RETRY} later by the
 * engine's clock, so an appointment's events are always planned in the order they were
 * stored. Engine thread only.
 */
final class EventPlanning {
    /** A message due within this is about to go out: its event's details are kept at hand for it. */
    static final Duration DUE_SOON = Duration.ofMinutes(1);

    private final Appointments appointments;
    private final DeliveryBook book;
    private final Planner planner;
    private final EngineObserver observer;
    private final Map<Channel, MessageChannel> channels;
    private final Supplier<DurableBatch> batches;
    private final EngineInbox inbox;
    private final Clock clock;
    private final Log log;
    private final JournalReads reads;
    /** Stored events taken from the inbox and not yet planned, in journal order. */
    private final List<EngineInbox.StoredEvent> backlog = new ArrayList<>();
    /** Set after the journal refused a plan: the backlog waits until then. */
    private Instant retryAt;

    EventPlanning(Appointments appointments, DeliveryBook book, Planner planner, EngineObserver observer,
                  Map<Channel, MessageChannel> channels, Supplier<DurableBatch> batches, EngineInbox inbox, JournalReads reads,
                  Clock clock, Log log) {
        this.reads = reads;
        this.appointments = appointments;
        this.book = book;
        this.planner = planner;
        this.observer = observer;
        this.channels = channels;
        this.batches = batches;
        this.inbox = inbox;
        this.clock = clock;
        this.log = log;
    }

    /** Events to plan after those already waiting (replay's unplanned ones first, then the inbox's). */
    void add(List<EngineInbox.StoredEvent> stored) {
        backlog.addAll(stored);
    }

    /** Plans the backlog in order, unless the journal refused recently; a refusal sets {@link #retryAt}. */
    void planDue(Instant now) {
        if (backlog.isEmpty() || retryAt != null && now.isBefore(retryAt)) {
            return;
        }
        int planned = planInOrder();
        backlog.subList(0, planned).clear();
        inbox.planned(planned);
        retryAt = backlog.isEmpty() ? null : RetryPolicy.afterRefusal(clock);
    }

    /**
     * When the backlog is next to be planned: at once ({@link Instant#MIN}) when events wait
     * and the journal has not refused, the retry time after a refusal, null when none wait.
     */
    Instant nextPlanAt() {
        if (backlog.isEmpty()) {
            return null;
        }
        return retryAt == null ? Instant.MIN : retryAt;
    }

    /** True when no event waits here: every event taken from the inbox is planned (or had nothing to plan). */
    boolean isEmpty() {
        return backlog.isEmpty();
    }

    /** True when nothing is to be planned before the clock passes {@code now}. */
    boolean isWaitingFor(Instant now) {
        return backlog.isEmpty() || retryAt != null && retryAt.isAfter(now);
    }

    /**
     * Records the plans of events about different appointments together (one wait for the
     * disk); an event about an appointment already in the batch waits for the batch, since
     * its plan depends on the one before. Stops at the first plan the journal refused. Each
     * event is replaced by itself with the change it made, so planning it again does not
     * fold it in twice.
     *
     * @return how many events, from the first, are planned
     */
    private int planInOrder() {
        DurableBatch batch = batches.get();
        Set<String> appointmentsInBatch = new HashSet<>();
        int planned = 0;
        for (int i = 0; i < backlog.size(); i++) {
            String appointmentId = backlog.get(i).event().appointmentId();
            if (appointmentId != null && !appointmentsInBatch.add(appointmentId)) {
                int inBatch = batch.size();
                int committed = batch.commitInOrder();
                planned += committed;
                if (committed < inBatch) {
                    return planned;
                }
                appointmentsInBatch.clear();
                appointmentsInBatch.add(appointmentId);
            }
            backlog.set(i, plan(backlog.get(i), batch));
        }
        return planned + batch.commitInOrder();
    }

    /**
     * Decides one event's plan and adds it (cancellations, creations, "planned" marker) to
     * the batch as one entry. Every event gets the marker, even with nothing to plan:
     * replay takes an event without one for an event never planned, and plans it at start.
     *
     * @return the event with the change it made to its appointment
     */
    private EngineInbox.StoredEvent plan(EngineInbox.StoredEvent stored, DurableBatch batch) {
        AppointmentEvent event = stored.event();
        Appointments.Change change = stored.change();
        if (change == null) {
            change = appointments.apply(event, stored.receivedAt(), stored.position());
            if (change != null) {
                observer.appointmentChanged(change, event, stored.receivedAt()); // (replay told of the others)
            }
        }
        Planner.Plan plan;
        if (change != null) {
            plan = planner.plan(change, change.type(), stored.receivedAt(), stored.eventKey(), book.pendingFor(change.after().id()));
        } else if (event.shape() == EventShape.THIN) {
            plan = planner.planFetch(event, stored.receivedAt(), stored.eventKey()); // (the receiver warns when it cannot be)
        } else {
            plan = Planner.Plan.NOTHING;
        }
        List<JournalRecord> records = new ArrayList<>();
        for (String id : plan.cancel()) {
            records.add(DeliveryRecords.cancelled(id, "replanned after " + event.type().wireName()));
        }
        List<PlannedDelivery> created = new ArrayList<>();
        for (PlannedDelivery delivery : plan.create()) {
            if (book.wouldPlan(delivery.id()) || plan.cancel().contains(delivery.id())) {
                records.add(DeliveryRecords.planned(delivery, stored.eventKey()));
                created.add(delivery);
            }
        }
        records.add(DeliveryRecords.eventPlanned(stored.eventKey()));
        batch.add(records, plan.isEmpty() ? () -> { } : () -> apply(stored, plan, created), () -> { });
        return stored.withChange(change);
    }

    /** A plan on disk takes effect: the book changes, a dry-run outbox shows what is planned. */
    private void apply(EngineInbox.StoredEvent stored, Planner.Plan plan, List<PlannedDelivery> created) {
        AppointmentEvent event = stored.event();
        Instant soon = clock.instant().plus(DUE_SOON);
        if (event.shape() != EventShape.THIN && created.stream().anyMatch(delivery -> !delivery.dueAt().isAfter(soon))) {
            reads.remember(stored.position(), event); // its confirmations go out now: no need to read it back
        }
        plan.cancel().forEach(book::cancelled);
        created.forEach(book::planned);
        for (PlannedDelivery delivery : created) {
            MessageChannel channel = delivery.kind().isMessage() ? channels.get(delivery.kind().channel()) : null;
            if (channel != null) {
                channel.planned(delivery);
            }
        }
        log.info("planned", Field.eventId(event.eventId()), Field.appointmentId(event.appointmentId()),
                Field.count("created", created.size()), Field.count("cancelled", plan.cancel().size()));
    }
}
