package clinicrelay.delivery;

import clinicrelay.journal.DurableBatch;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.Channel;
import clinicrelay.planning.Lane;
import clinicrelay.template.Templates;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts what is due: for each lane with a free slot, takes its due deliveries, reads the
 * appointment's details back from the journal, asks the {@link SendGate}, renders the
 * message, records the attempt and — once that is on disk — hands the call to the lane's
 * workers. A delivery whose last send had an unknown outcome is first looked for at the
 * provider instead (that sends nothing, so no gate stands in its way); after a crash,
 * every attempt left without a result is looked for before anything is sent. Engine
 * thread only.
 */
final class Dispatch {
    /** The reason a check found nothing (and what a step left in flight records, as it always has). */
    static final String NOT_FOUND = "not found at provider";

    private final DeliveryBook book;
    private final Appointments appointments;
    private final JournalReads reads;
    private final SendGate gate;
    private final MessageRenderer renderer;
    private final Map<Channel, MessageChannel> channels;
    private final Map<Lane, DurableStep> steps;
    private final LaneWorkers lanes;
    private final ResultRecorder results;
    private final Clock clock;
    private final Log log;
    /** Attempts a crash left without a result, looked for as their lane's slots allow. */
    private final Deque<Delivery> toReconcile = new ArrayDeque<>();
    /** Set when the journal could not be read for a reconciliation: none is tried before then. */
    private Instant reconcileNotBefore = Instant.MIN;

    /** @param steps the steps configured, by lane (Zocdoc details, CRM sync) */
    Dispatch(DeliveryBook book, Appointments appointments, JournalReads reads, SendGate gate, MessageRenderer renderer,
             Map<Channel, MessageChannel> channels, Map<Lane, DurableStep> steps, LaneWorkers lanes, ResultRecorder results,
             Clock clock, Log log) {
        this.book = book;
        this.appointments = appointments;
        this.reads = reads;
        this.gate = gate;
        this.renderer = renderer;
        this.channels = channels;
        this.steps = Map.copyOf(steps);
        this.lanes = lanes;
        this.results = results;
        this.clock = clock;
        this.log = log;
    }

    /** At start-up, before anything is sent: queues every attempt left in flight to be looked for first. */
    void reconcileAfterCrash() {
        for (Delivery delivery : book.inFlight()) {
            log.info("reconciling an attempt left without a result", Field.kind(delivery.kind().wireName()),
                    Field.appointmentId(delivery.appointmentId()), Field.count("attempt", delivery.attempts()));
            toReconcile.add(delivery);
        }
    }

    /** Starts everything due by {@code now} that a free slot allows: all attempts recorded with one wait. */
    void startDue(Instant now, DurableBatch batch) {
        if (!now.isBefore(reconcileNotBefore)) {
            startReconciliations();
        }
        for (Lane lane : Lane.values()) {
            Delivery delivery;
            while (lanes.hasFreeSlot(lane) && (delivery = book.takeDue(lane, now)) != null) {
                try {
                    start(delivery, now, batch);
                } catch (JournalReads.Unavailable unreadable) {
                    // nothing is decided on a journal that cannot be read now: due again a little later
                    log.warnThrottled("journal_unreadable", "could not read a message's data from the journal; it will retry",
                            Field.reason(unreadable.getMessage()));
                    book.postpone(delivery, RetryPolicy.afterRefusal(clock));
                }
            }
        }
        batch.commit();
    }

    /**
     * When the next delivery is due in a lane with a free slot ({@link Instant#MIN} for a
     * reconciliation that can start); null when none (a settled attempt wakes the engine).
     */
    Instant nextDueAt() {
        for (Delivery waiting : toReconcile) {
            if (lanes.hasFreeSlot(waiting.lane())) {
                return reconcileNotBefore;
            }
        }
        Instant next = null;
        for (Lane lane : Lane.values()) {
            if (lanes.hasFreeSlot(lane)) {
                next = Instants.earlier(next, book.nextDueAt(lane));
            }
        }
        return next;
    }

    private void startReconciliations() {
        for (int i = toReconcile.size(); i > 0 && !toReconcile.isEmpty(); i--) {
            Delivery delivery = toReconcile.poll();
            if (!lanes.hasFreeSlot(delivery.lane())) {
                toReconcile.add(delivery);
                continue;
            }
            if (!delivery.kind().isMessage()) {
                // a step leaves nothing to look for: due again at once, and it runs again
                lanes.takeSlot(delivery.lane());
                lanes.run(delivery.id(), delivery.lane(), null, () -> new AttemptResult.NotSent(NOT_FOUND));
                continue;
            }
            try {
                OutgoingMessage sent = reads.sentMessage(delivery, delivery.attempts());
                LaneWorkers.Call call = sent == null
                        // what was sent can no longer be read: never resent on a guess (the check that follows ends it)
                        ? () -> new AttemptResult.Uncertain("reconcile: what was sent is unreadable", null)
                        : lookFor(delivery, sent);
                lanes.takeSlot(delivery.lane());
                lanes.run(delivery.id(), delivery.lane(), sent == null ? null : sent.to(), call);
            } catch (JournalReads.Unavailable unreadable) {
                toReconcile.addFirst(delivery);
                reconcileNotBefore = RetryPolicy.afterRefusal(clock);
                return;
            }
        }
    }

    private void start(Delivery delivery, Instant now, DurableBatch batch) throws JournalReads.Unavailable {
        if (!delivery.kind().isMessage()) {
            startStep(delivery, now, batch);
        } else if (delivery.verify()) {
            startCheck(delivery, now, batch);
        } else {
            startMessage(delivery, now, batch);
        }
    }

    private void startMessage(Delivery delivery, Instant now, DurableBatch batch) throws JournalReads.Unavailable {
        Appointment appointment = appointments.get(delivery.appointmentId());
        AppointmentDetails details = appointment == null ? AppointmentDetails.NONE
                : reads.details(appointments.detailPositions(delivery.appointmentId()));
        SendGate.Decision decision = gate.decide(delivery, appointment, details, book::isOptedOut, now);
        if (!(decision instanceof SendGate.Send)) {
            results.decided(batch, delivery, outcomeOf(decision));
            return;
        }
        Templates.Message text = renderer.render(delivery.kind(), appointment, details);
        OutgoingMessage message = new OutgoingMessage(delivery.id(), delivery.attempts() + 1, delivery.kind().channel(),
                SendGate.recipient(delivery, details), text.subject(), text.body());
        MessageChannel channel = channels.get(message.channel());
        attempt(delivery, message, now, false, batch, () -> channel.send(message));
    }

    /** A look at the provider for the last send, whose outcome is unknown; it sends nothing. */
    private void startCheck(Delivery delivery, Instant now, DurableBatch batch) throws JournalReads.Unavailable {
        OutgoingMessage check = reads.sentMessage(delivery, delivery.attempts() + 1);
        if (check == null) {
            // What was sent can no longer be read (erased): nothing to look for, and a resend
            // could text twice, so the delivery ends here, visible to the operator.
            results.decided(batch, delivery, Outcome.ended(DeliveryState.DEAD, "sent message unreadable; not resent"));
            return;
        }
        attempt(delivery, check, now, true, batch, lookFor(delivery, check));
    }

    private void startStep(Delivery delivery, Instant now, DurableBatch batch) throws JournalReads.Unavailable {
        DurableStep step = steps.get(delivery.lane());
        SendGate.Decision decision = gate.decideStep(delivery, step != null, now);
        if (!(decision instanceof SendGate.Send)) {
            results.decided(batch, delivery, outcomeOf(decision));
            return;
        }
        DurableStep.Input input = new DurableStep.Input(delivery.appointmentId(), null, null, null, null, null);
        if (step.needsDetails()) {
            Appointment appointment = appointments.get(delivery.appointmentId());
            AppointmentDetails details = appointment == null ? AppointmentDetails.NONE
                    : reads.details(appointments.detailPositions(delivery.appointmentId()));
            input = new DurableStep.Input(delivery.appointmentId(), appointment, details.patient(),
                    details.providerName() != null ? details.providerName() : appointment == null ? null : appointment.providerName(),
                    details.locationName(), previousResult(delivery));
        }
        DurableStep.Input given = input;
        int attempt = delivery.attempts() + 1;
        lanes.takeSlot(delivery.lane());
        batch.add(List.of(DeliveryRecords.stepAttempt(delivery.id(), attempt, delivery.lane(), delivery.appointmentId(), now,
                step.name())), positions -> {
                    book.attemptStarted(delivery.id(), attempt, false, positions[0]);
                    lanes.run(delivery.id(), delivery.lane(), null, () -> step.run(given));
                }, () -> refused(delivery));
    }

    /** What the appointment's last successful step of this kind returned (its result record holds it), or null. */
    private String previousResult(Delivery delivery) throws JournalReads.Unavailable {
        Delivery last = book.lastSent(delivery.appointmentId(), delivery.kind());
        return last == null ? null : reads.providerMessageId(last);
    }

    /** Records the attempt, then hands the call to the lane's workers once it is on disk. */
    private void attempt(Delivery delivery, OutgoingMessage message, Instant now, boolean check, DurableBatch batch,
                         LaneWorkers.Call call) {
        lanes.takeSlot(delivery.lane());
        String provider = channels.get(message.channel()).name();
        batch.add(List.of(DeliveryRecords.attempt(message, delivery.notAfter(), now, provider, check)), positions -> {
            book.attemptStarted(delivery.id(), message.attempt(), check, positions[0]);
            lanes.run(delivery.id(), delivery.lane(), message.to(), call);
        }, () -> refused(delivery));
    }

    /** The journal refused the attempt record: nothing was sent; due again a little later. */
    private void refused(Delivery delivery) {
        lanes.releaseSlot(delivery.lane());
        book.postpone(delivery, RetryPolicy.afterRefusal(clock));
    }

    private static Outcome outcomeOf(SendGate.Decision decision) {
        if (decision instanceof SendGate.Postpone postpone) {
            return Outcome.retry(postpone.reason(), postpone.until(), false);
        }
        SendGate.Skip skip = (SendGate.Skip) decision;
        return Outcome.ended(skip.state(), skip.reason());
    }

    /**
     * Asks the provider whether a message whose outcome is unknown is there: found is sent,
     * not found is sent now (without counting a failure), and a provider that cannot tell
     * leaves the outcome unknown, to be asked again later. The journal is read here, on the
     * engine thread; the provider is asked on the lane's.
     */
    private LaneWorkers.Call lookFor(Delivery delivery, OutgoingMessage message) throws JournalReads.Unavailable {
        MessageChannel channel = channels.get(message.channel());
        Instant since = reads.sentSince(delivery);
        Set<String> claimed = reads.providerMessageIds(book.resultPositionsOfOthers(delivery));
        return () -> {
            if (since == null) {
                return new AttemptResult.Uncertain("reconcile: when it was sent is unreadable", null);
            }
            try {
                String providerMessageId = channel.findSent(message, since, claimed);
                return providerMessageId != null ? new AttemptResult.Sent(providerMessageId)
                        : new AttemptResult.NotSent(NOT_FOUND);
            } catch (MessageChannel.ReconcileException cannotTell) {
                return new AttemptResult.Uncertain("reconcile: " + cannotTell.getMessage(), null);
            }
        };
    }
}
