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
 * Starts what is due: for each lane with a free slot, takes its due deliveries, asks the
 * {@link SendGate}, renders the message, records the attempt and — once that is on disk —
 * hands the call to the lane's workers. A delivery whose last send had an unknown outcome
 * is first looked for at the provider instead (that sends nothing, so no gate stands in
 * its way); after a crash, every attempt left without a result is looked for before
 * anything is sent. Engine thread only.
 */
final class Dispatch {
    private final DeliveryBook book;
    private final Appointments appointments;
    private final SendGate gate;
    private final MessageRenderer renderer;
    private final Map<Channel, MessageChannel> channels;
    private final DurableStep fetchDetails;
    private final LaneWorkers lanes;
    private final ResultRecorder results;
    private final Clock clock;
    private final Log log;
    /** The reason a check found nothing (and what a step left in flight records, as it always has). */
    static final String NOT_FOUND = "not found at provider";
    /** Attempts a crash left without a result, looked for as their lane's slots allow. */
    private final Deque<Delivery> toReconcile = new ArrayDeque<>();

    /** @param fetchDetails the Zocdoc details step, or null when the API is not configured */
    Dispatch(DeliveryBook book, Appointments appointments, SendGate gate, MessageRenderer renderer,
             Map<Channel, MessageChannel> channels, DurableStep fetchDetails, LaneWorkers lanes, ResultRecorder results,
             Clock clock, Log log) {
        this.book = book;
        this.appointments = appointments;
        this.gate = gate;
        this.renderer = renderer;
        this.channels = channels;
        this.fetchDetails = fetchDetails;
        this.lanes = lanes;
        this.results = results;
        this.clock = clock;
        this.log = log;
    }

    /** At start-up, before anything is sent: queues every attempt left in flight to be looked for first. */
    void reconcileAfterCrash() {
        for (Delivery delivery : book.inFlight()) {
            if (delivery.kind.isMessage() && book.unsettled(delivery.id) == null) {
                // Cannot happen after a sound replay (the invariant check reports it): with nothing
                // to look for, the delivery stays in flight rather than be sent again on a guess.
                log.warn("an attempt left without a result cannot be reconciled", Field.kind(delivery.kind.wireName()),
                        Field.appointmentId(delivery.appointmentId));
                continue;
            }
            log.info("reconciling an attempt left without a result", Field.kind(delivery.kind.wireName()),
                    Field.appointmentId(delivery.appointmentId), Field.count("attempt", delivery.attempts));
            toReconcile.add(delivery);
        }
    }

    /** Starts everything due by {@code now} that a free slot allows: all attempts recorded with one wait. */
    void startDue(Instant now, DurableBatch batch) {
        startReconciliations();
        for (Lane lane : Lane.values()) {
            Delivery delivery;
            while (lanes.hasFreeSlot(lane) && (delivery = book.takeDue(lane, now)) != null) {
                start(delivery, now, batch);
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
                return Instant.MIN;
            }
        }
        Instant next = null;
        for (Lane lane : Lane.values()) {
            if (lanes.hasFreeSlot(lane)) {
                next = DueQueue.earlier(next, book.nextDueAt(lane));
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
            lanes.takeSlot(delivery.lane());
            if (!delivery.kind.isMessage()) {
                // a step leaves nothing to look for: due again at once, and it runs again
                lanes.run(delivery.id, delivery.lane(), null, () -> new AttemptResult.NotSent(NOT_FOUND));
                continue;
            }
            OutgoingMessage sent = book.unsettled(delivery.id);
            lanes.run(delivery.id, delivery.lane(), sent.to(), lookFor(delivery, sent));
        }
    }

    private void start(Delivery delivery, Instant now, DurableBatch batch) {
        if (!delivery.kind.isMessage()) {
            startStep(delivery, now, batch);
        } else if (delivery.verify) {
            OutgoingMessage check = book.unsettled(delivery.id).asAttempt(delivery.attempts + 1);
            attempt(delivery, check, now, true, batch, lookFor(delivery, check));
        } else {
            startMessage(delivery, now, batch);
        }
    }

    private void startMessage(Delivery delivery, Instant now, DurableBatch batch) {
        Appointment appointment = appointments.get(delivery.appointmentId);
        SendGate.Decision decision = gate.decide(delivery, appointment, book::isOptedOut, now);
        if (!(decision instanceof SendGate.Send)) {
            results.decided(batch, delivery, outcomeOf(decision));
            return;
        }
        Templates.Message text = renderer.render(delivery.kind, appointment);
        OutgoingMessage message = new OutgoingMessage(delivery.id, delivery.attempts + 1, delivery.kind.channel(),
                SendGate.recipient(delivery, appointment), text.subject(), text.body());
        MessageChannel channel = channels.get(message.channel());
        attempt(delivery, message, now, false, batch, () -> channel.send(message));
    }

    private void startStep(Delivery delivery, Instant now, DurableBatch batch) {
        SendGate.Decision decision = gate.decideStep(delivery, fetchDetails != null, now);
        if (!(decision instanceof SendGate.Send)) {
            results.decided(batch, delivery, outcomeOf(decision));
            return;
        }
        int attempt = delivery.attempts + 1;
        lanes.takeSlot(delivery.lane());
        batch.add(List.of(DeliveryRecords.stepAttempt(delivery.id, attempt, delivery.lane(), delivery.appointmentId, now,
                fetchDetails.name())), () -> {
                    book.attemptStarted(delivery.id, attempt, now, false, null);
                    lanes.run(delivery.id, delivery.lane(), null, () -> fetchDetails.run(delivery.appointmentId));
                }, () -> refused(delivery));
    }

    /** Records the attempt, then hands the call to the lane's workers once it is on disk. */
    private void attempt(Delivery delivery, OutgoingMessage message, Instant now, boolean check, DurableBatch batch,
                         LaneWorkers.Call call) {
        lanes.takeSlot(delivery.lane());
        String provider = channels.get(message.channel()).name();
        batch.add(List.of(DeliveryRecords.attempt(message, now, provider, check)), () -> {
            book.attemptStarted(delivery.id, message.attempt(), now, check, message);
            lanes.run(delivery.id, delivery.lane(), message.to(), call);
        }, () -> refused(delivery));
    }

    /** The journal refused the attempt record: nothing was sent; due again a little later. */
    private void refused(Delivery delivery) {
        lanes.releaseSlot(delivery.lane());
        book.postpone(delivery, DeliveryEngine.retryAfterRefusal(clock));
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
     * leaves the outcome unknown, to be asked again later.
     */
    private LaneWorkers.Call lookFor(Delivery delivery, OutgoingMessage message) {
        MessageChannel channel = channels.get(message.channel());
        Instant since = delivery.sentSince;
        Set<String> claimed = book.providerIdsOfOthers(delivery);
        return () -> {
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
