package clinicrelay.delivery;

import clinicrelay.journal.JournalPosition;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.Lane;
import clinicrelay.planning.PlannedDelivery;
import clinicrelay.planning.Planner;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery engine's memory: every delivery's state (kept compact in a
 * {@link DeliveryTable}), the due queues, and opted-out numbers. It changes only through
 * the methods below, one per journal record type, called in journal order during replay
 * and right after each record is on disk when live; so the state after a restart is
 * exactly the state before it. Every state change is checked against
 * {@link DeliveryState#mayBecome}: an illegal one is logged, counted and not applied. What
 * was sent, and why a send failed, stay in the journal: the book keeps their positions.
 * Not thread-safe: owned by the engine's thread.
 */
final class DeliveryBook {
    private final DeliveryTable table;
    private final DueQueue due;
    private final Set<String> optedOut = new HashSet<>();
    private final int[] counts = new int[DeliveryState.values().length];
    private final EngineObserver observer;
    private final Log log;
    private long illegalTransitions;

    DeliveryBook(Appointments appointments, EngineObserver observer, Log log) {
        this.table = new DeliveryTable(appointments);
        this.due = new DueQueue(table);
        this.observer = observer;
        this.log = log;
    }

    /** The deliveries hanging on an appointment row, for a checkpoint. */
    void writeDeliveries(int appointment, DataOutputStream out) throws IOException {
        table.write(appointment, out);
    }

    /** Reads back an appointment's deliveries from a checkpoint, queueing the pending ones. */
    void readDeliveries(int appointment, DataInputStream in) throws IOException {
        table.read(appointment, in, row -> {
            counts[table.state(row).ordinal()]++;
            if (table.state(row).isPending()) {
                due.schedule(table.lane(row), row);
            }
        });
    }

    /** The opted-out numbers (patient data: the caller seals them). */
    List<String> optedOutNumbers() {
        return new ArrayList<>(optedOut);
    }

    /** Restores opted-out numbers from a checkpoint (no observer: they were counted when they came). */
    void restoreOptedOut(List<String> numbers) {
        optedOut.addAll(numbers);
    }

    /** The delivery with this id now, or null when the book does not hold it. */
    Delivery get(String id) {
        int row = table.find(id);
        return row < 0 ? null : table.view(row);
    }

    /** A delivery planned; planning a cancelled id brings it back (an appointment moved away and back gets its reminders again). */
    void planned(PlannedDelivery planned) {
        int row = table.find(planned.id());
        if (row >= 0) {
            if (table.state(row) == DeliveryState.CANCELLED && moveTo(row, DeliveryState.PENDING)) {
                table.resultPosition(row, JournalPosition.NONE);
                table.retryRequested(row, false);
                schedule(row, planned.dueAt());
            }
            return;
        }
        row = table.add(planned);
        counts[DeliveryState.PENDING.ordinal()]++;
        schedule(row, planned.dueAt());
    }

    /** True when planning this id would add or revive a delivery (it is unknown or was cancelled). */
    boolean wouldPlan(String id) {
        int row = table.find(id);
        return row < 0 || table.state(row) == DeliveryState.CANCELLED;
    }

    void cancelled(String id) {
        int row = table.find(id);
        if (row >= 0 && table.state(row).isPending() && moveTo(row, DeliveryState.CANCELLED)) {
            table.verify(row, false);
            tell(row, DeliveryState.CANCELLED);
        }
    }

    /** An attempt started (a send, a step, or with {@code check} a look for an earlier send) recorded at {@code position}. */
    void attemptStarted(String id, int attempt, boolean check, long position) {
        int row = table.find(id);
        if (row < 0 || !moveTo(row, DeliveryState.ATTEMPTING)) {
            return;
        }
        table.attempts(row, attempt);
        if (!check || table.sendPosition(row) == JournalPosition.NONE) {
            table.sendPosition(row, position);
        }
    }

    /**
     * An attempt's end, or the send gate's decision, recorded at {@code position}; a pending
     * outcome with a retry time puts the delivery back in its queue, and with {@code verify}
     * the next attempt looks for the last send first.
     */
    void result(String id, Outcome outcome, long position) {
        int row = table.find(id);
        if (row < 0 || isRepeatedResult(row) || !moveTo(row, outcome.state())) {
            return;
        }
        table.resultPosition(row, position);
        table.retryRequested(row, false);
        // Only a message can be looked for; a step whose outcome is unknown simply runs again.
        table.verify(row, outcome.state().isPending() && outcome.verify() && table.kind(row).isMessage());
        DeliveryState early = table.earlyStatus(row);
        table.earlyStatus(row, null);
        if (early != null && (outcome.state() == DeliveryState.SENT || table.verify(row))) {
            // the provider already reported on this message: it was sent, whatever the answer said
            tell(row, DeliveryState.SENT);
            settleByStatus(row, early);
            return;
        }
        if (!outcome.state().isPending()) {
            tell(row, outcome.state());
        }
        if (outcome.state().isPending() && outcome.retryAt() != null) {
            schedule(row, outcome.retryAt());
        }
    }

    /** Results come for pending or in-flight deliveries; one for a settled delivery repeats an applied one (a timed-out
     *  write made again, both on disk) and changes nothing: it must not take a delivered message back to sent. */
    private boolean isRepeatedResult(int row) {
        DeliveryState current = table.state(row);
        return !current.isPending() && current != DeliveryState.ATTEMPTING;
    }

    /** A provider status: only ever forward (callbacks come out of order); one before the send's own result waits for it. */
    void status(String id, DeliveryState status) {
        int row = table.find(id);
        if (row < 0 || !wouldTakeStatus(row, status)) {
            return;
        }
        if (table.state(row) == DeliveryState.ATTEMPTING) {
            table.earlyStatus(row, status);
        } else if (table.verify(row)) {
            // proof that the send whose outcome was unknown went out
            tell(row, DeliveryState.SENT);
            settleByStatus(row, status);
        } else if (moveTo(row, status)) {
            tell(row, status);
        }
    }

    /** Whether a status for this delivery would change anything (see {@link #status}). */
    boolean wouldTakeStatus(String id, DeliveryState status) {
        int row = table.find(id);
        return row >= 0 && wouldTakeStatus(row, status);
    }

    private boolean wouldTakeStatus(int row, DeliveryState status) {
        DeliveryState current = table.state(row);
        if (current == DeliveryState.ATTEMPTING) {
            DeliveryState early = table.earlyStatus(row);
            return early == null || status.rank() > early.rank();
        }
        if (table.verify(row)) {
            return true;
        }
        return current.rank() > 0 && status.rank() > current.rank();
    }

    /** A provider status settles a delivery whose send had an unknown outcome: no check, no resend. */
    private void settleByStatus(int row, DeliveryState status) {
        tell(row, status);
        if (moveTo(row, status)) {
            table.verify(row, false);
        }
    }

    /** Dead and failed deliveries may be tried again by the operator. */
    boolean isRetryable(String id) {
        int row = table.find(id);
        return row >= 0 && (table.state(row) == DeliveryState.DEAD || table.state(row) == DeliveryState.FAILED);
    }

    /** The operator's retry: pending again from {@code at}, with a fresh attempt budget. */
    void retryRequested(String id, Instant at) {
        int row = table.find(id);
        if (!isRetryable(id) || !moveTo(row, DeliveryState.PENDING)) {
            return;
        }
        table.attempts(row, 0);
        table.verify(row, false);
        table.retryRequested(row, true);
        schedule(row, at);
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
        int row = due.takeDue(lane, now.toEpochMilli());
        return row < 0 ? null : table.view(row);
    }

    /** When the next pending delivery of {@code lane} is due, or null. */
    Instant nextDueAt(Lane lane) {
        long next = due.nextDueMillis(lane);
        return next == Long.MAX_VALUE ? null : Instant.ofEpochMilli(next);
    }

    /** When the next pending delivery of any lane is due, or null when none is. */
    Instant nextDueAt() {
        Instant earliest = null;
        for (Lane lane : Lane.values()) {
            earliest = Instants.earlier(earliest, nextDueAt(lane));
        }
        return earliest;
    }

    /** Puts a pending delivery back for a later time (quiet hours, a journal that refused its attempt). */
    void postpone(Delivery delivery, Instant until) {
        if (table.inUse(delivery.row()) && table.state(delivery.row()).isPending()) {
            schedule(delivery.row(), until);
        }
    }

    /** The appointment's pending messages (a pending step is not one: plans never withdraw it). */
    List<Planner.Pending> pendingFor(String appointmentId) {
        List<Planner.Pending> pending = new ArrayList<>();
        for (int row = table.firstOf(appointmentId); row >= 0; row = table.next(row)) {
            if (table.state(row).isPending() && table.kind(row).isMessage()) {
                pending.add(new Planner.Pending(table.id(row), table.kind(row)));
            }
        }
        return pending;
    }

    /** The latest {@code kind} delivery of the appointment that succeeded (a step's result names what it made), or null. */
    Delivery lastSent(String appointmentId, DeliveryKind kind) {
        Delivery last = null;
        for (int row = table.firstOf(appointmentId); row >= 0; row = table.next(row)) {
            if (table.kind(row) == kind && table.state(row) == DeliveryState.SENT
                    && (last == null || table.resultPosition(row) > last.resultPosition())) {
                last = get(table.id(row));
            }
        }
        return last;
    }

    /** Attempts started and never finished: what a crash left in flight (a scan, once at start-up). */
    List<Delivery> inFlight() {
        List<Delivery> attempting = new ArrayList<>();
        for (int row = 0; row < table.rowLimit(); row++) {
            if (table.inUse(row) && table.state(row) == DeliveryState.ATTEMPTING) {
                attempting.add(table.view(row));
            }
        }
        return attempting;
    }

    /** Where the results of the same appointment's other deliveries are: their provider ids are "claimed". */
    List<Long> resultPositionsOfOthers(Delivery delivery) {
        List<Long> positions = new ArrayList<>();
        for (int row = table.firstOfAppointment(delivery.row()); row >= 0; row = table.next(row)) {
            if (row != delivery.row() && table.resultPosition(row) != JournalPosition.NONE) {
                positions.add(table.resultPosition(row));
            }
        }
        return positions;
    }

    /** Deliveries per state (a copy). */
    Map<DeliveryState, Integer> countByState() {
        Map<DeliveryState, Integer> copy = new EnumMap<>(DeliveryState.class);
        for (DeliveryState each : DeliveryState.values()) {
            if (counts[each.ordinal()] > 0) {
                copy.put(each, counts[each.ordinal()]);
            }
        }
        return copy;
    }

    /** Every delivery held (for the operator view's scan and tests' snapshots). */
    List<Delivery> all() {
        List<Delivery> all = new ArrayList<>(table.size());
        for (int row = 0; row < table.rowLimit(); row++) {
            if (table.inUse(row)) {
                all.add(table.view(row));
            }
        }
        return all;
    }

    /** The oldest journal position a delivery reads (its last send or result), or {@link Long#MAX_VALUE}. */
    long oldestPosition() {
        return table.oldestPosition();
    }

    /** State changes refused as illegal since start (0 unless there is a bug). */
    long illegalTransitions() {
        return illegalTransitions;
    }

    /**
     * Lets go of deliveries nothing will happen to any more: finished ones (sent, delivered,
     * skipped, expired, cancelled) once their appointment started before {@code cutoff} or
     * they were last due before {@code settledCutoff} (late provider statuses and checks'
     * "claimed" ids have had their time); dead, failed and undelivered ones stay until
     * {@code problemCutoff}, for the operator. Planning never names a finished delivery again
     * (a reminder is planned only while still ahead; a notice is named after its own event),
     * so letting go changes no outcome.
     */
    int evict(Instant cutoff, Instant settledCutoff, Instant problemCutoff) {
        int before = table.size();
        for (int row = 0; row < table.rowLimit(); row++) {
            if (!table.inUse(row)) {
                continue;
            }
            DeliveryState current = table.state(row);
            boolean problem = current == DeliveryState.DEAD || current == DeliveryState.FAILED
                    || current == DeliveryState.UNDELIVERED;
            boolean open = current.isPending() || current == DeliveryState.ATTEMPTING;
            Instant notAfter = table.notAfter(row);
            boolean evict = !open && (problem ? notAfter.isBefore(problemCutoff)
                    : notAfter.isBefore(cutoff) || table.dueAtMillis(row) < settledCutoff.toEpochMilli());
            if (evict) {
                counts[current.ordinal()]--;
                table.release(row);
            }
        }
        return before - table.size();
    }

    /** What does not hold of the book (see {@link DeliveryInvariants}); empty when all is well. */
    List<String> invariantViolations() {
        return DeliveryInvariants.check(table, due, counts);
    }

    /** The one place a delivery's state changes: refused (logged, counted) when the table forbids it. */
    private boolean moveTo(int row, DeliveryState target) {
        DeliveryState current = table.state(row);
        if (!current.mayBecome(target)) {
            illegalTransitions++;
            log.error("illegal delivery state change refused", Field.kind(table.kind(row).wireName()),
                    Field.appointmentId(table.appointmentId(row)), Field.outcome(current.wireName() + "_to_" + target.wireName()));
            return false;
        }
        counts[current.ordinal()]--;
        counts[target.ordinal()]++;
        table.state(row, target);
        if (!target.isPending()) {
            due.remove(table.lane(row), row);
        }
        return true;
    }

    private void schedule(int row, Instant at) {
        table.dueAt(row, at);
        due.schedule(table.lane(row), row);
    }

    private void tell(int row, DeliveryState state) {
        observer.deliveryState(table.appointmentId(row), table.kind(row), state, table.notAfter(row));
    }
}
