package clinicrelay.delivery;

import clinicrelay.journal.DurableBatch;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.RecordCodec;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.Channel;
import clinicrelay.planning.Planner;
import clinicrelay.template.Templates;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Acts on appointments: plans deliveries when events are stored, runs them when due —
 * messages through their channels and steps such as fetching a thin event's details —
 * records every step in the journal before acting on it, and retries, reconciles and gives
 * up by the rules of {@link RetryPolicy} and {@link SendGate}.
 *
 * <p>One thread owns all state (appointments, deliveries, opt-outs) and takes turns: plan
 * what was stored ({@link EventPlanning}), run the commands of other threads, record the
 * attempts that settled ({@link ResultRecorder}), start what is due ({@link Dispatch}).
 * Between turns it sleeps until the earliest due time by the injected clock, or until
 * something arrives in its {@link EngineInbox}. Every change takes effect through
 * {@link DeliveryBook} once its records are on disk, the same code replay uses: after a
 * restart the state is exactly what it was.
 */
public final class DeliveryEngine implements AutoCloseable {
    /**
     * Longest the engine sleeps between turns by the monotonic clock. Due times are read from the wall clock,
     * which can step (NTP, a resumed VM); looking again this often bounds the delay such a step causes.
     */
    static final Duration SLEEP_MAX = Duration.ofMinutes(1);
    /** Longest the engine waits for its records to be forced. */
    static final long PERSIST_WAIT_MILLIS_MAX = 10_000;
    /** How long dead, failed and undelivered messages stay visible to the operator after their appointment. */
    static final Duration PROBLEM_RETENTION = Duration.ofDays(30);
    /**
     * How long a finished message stays in memory after it was last due: long enough for
     * a late provider status, and for a check to know its provider id as another message's.
     */
    static final Duration SETTLED_RETENTION = Duration.ofDays(2);
    /** How often past appointments and finished deliveries are forgotten (memory only: it changes no outcome). */
    static final Duration EVICTION_INTERVAL = Duration.ofHours(1);
    private static final long STOP_WAIT_MILLIS = 5000; // longest a stop waits for the turn to end
    private static final int COMMANDS_PER_TURN_MAX = 256; // commands run per turn before due deliveries

    private final Journal journal;
    private final RecordCodec codec;
    private final Clock clock;
    private final Log log;
    private final DeliveryReplay replay;
    private final DeliveryBook book;
    private final Appointments appointments;
    private final EngineInbox inbox;
    private final LaneWorkers lanes;
    final JournalReads reads; // package-private: tests look at what it holds in memory
    public final CredentialFailures credentialFailures = new CredentialFailures(); // for /health and alerts
    public final EngineQueries queries; // the dashboard's questions
    private final DurableBatch.Stragglers stragglers = new DurableBatch.Stragglers();
    private final EventPlanning planning;
    private final ResultRecorder results;
    private final Dispatch dispatch;
    private final ReplyConfirmations confirmations;
    private final Thread thread;
    private volatile boolean running = true;
    private Instant nextEviction = Instant.MIN;
    /** Latches released at the end of the current turn. */
    private final List<CountDownLatch> turnEnd = new ArrayList<>();
    /** Latches released at the end of the first turn that leaves nothing unsettled. */
    private final List<CountDownLatch> settledWaiters = new ArrayList<>();
    private volatile Map<DeliveryState, Integer> counts = Map.of();
    /** When the longest-waiting pending delivery became due, as of the last turn; null when none. */
    private volatile Instant oldestPendingDueAt;

    /**
     * @param replay the state the journal replayed; its invariants are checked here
     * @param inbox  the inbox the ingest already tells of stored events
     */
    public DeliveryEngine(Journal journal, RecordCodec codec, DeliveryReplay replay, EngineInbox inbox, EngineSettings settings,
                          Log log) {
        this.journal = journal;
        this.codec = codec;
        this.clock = settings.clock();
        this.log = log;
        this.replay = replay;
        this.book = replay.book;
        this.appointments = replay.appointments;
        this.inbox = inbox;
        this.lanes = new LaneWorkers(inbox);
        this.reads = new JournalReads(journal, codec);
        Supplier<DurableBatch> batches = this::batch;
        this.planning = new EventPlanning(appointments, book, new Planner(settings.planning()), replay.observer,
                settings.channels(), batches, inbox, reads, clock, log);
        this.results = new ResultRecorder(book, lanes, new RetryPolicy(settings.random()), credentialFailures, clock, log);
        Planner.Settings planningSettings = settings.planning();
        this.dispatch = new Dispatch(book, appointments, reads,
                new SendGate(planningSettings, replay.observer),
                new MessageRenderer(settings.templates(), settings.clinicName(), planningSettings.clinicZone()),
                settings.channels(), settings.steps(), lanes, results, clock, log);
        this.confirmations = new ReplyConfirmations(book, appointments, reads, batches, replay.observer, clock, log);
        this.queries = new EngineQueries(inbox, book, appointments, reads);
        replay.checkInvariants(log);
        List<EngineInbox.StoredEvent> unplanned = replay.unplanned();
        inbox.waitingFromReplay(unplanned.size());
        planning.add(unplanned);
        this.thread = new Thread(this::run, "delivery-engine");
        this.thread.setDaemon(true);
    }

    private DurableBatch batch() {
        return new DurableBatch(journal, codec, PERSIST_WAIT_MILLIS_MAX, this::notStored, stragglers);
    }

    /** Plans what a crash left unplanned, reconciles attempts left in flight, then starts sending. */
    public void start() {
        thread.start();
    }

    /** Runs a turn now: tests call it after moving their clock. */
    public void wake() {
        inbox.wake();
    }

    /** A number sent STOP (or a provider said so): true once on disk, false when it already was opted out, exceptionally
     *  when the journal refused it (the caller answers so that the provider tries again). */
    public CompletableFuture<Boolean> optOut(String phone, String source) {
        return recordOnEngine(() -> !book.isOptedOut(phone),
                () -> DeliveryRecords.optedOut(phone, source, clock.instant()), () -> book.optedOut(phone, clock.instant()));
    }

    /** A number sent START; completes like {@link #optOut}. */
    public CompletableFuture<Boolean> optIn(String phone) {
        return recordOnEngine(() -> book.isOptedOut(phone),
                () -> DeliveryRecords.optedIn(phone, clock.instant()), () -> book.optedIn(phone));
    }

    /** A provider status for a sent message; never downgrades. Completes like {@link #optOut} (false: unknown, no step forward). */
    public CompletableFuture<Boolean> statusReported(String deliveryId, DeliveryState status, String errorCode) {
        return recordOnEngine(() -> book.wouldTakeStatus(deliveryId, status),
                () -> DeliveryRecords.status(deliveryId, status, errorCode), () -> {
                    book.status(deliveryId, status);
                    Delivery delivery = book.get(deliveryId);
                    log.info("delivery status", Field.outcome(status.wireName()), Field.appointmentId(delivery.appointmentId()),
                            Field.count("attempt", delivery.attempts()), Field.reason(errorCode == null ? "-" : errorCode));
                });
    }

    /**
     * The operator asks to try a dead or failed delivery again, with a fresh budget: true once
     * that is on disk, false when the delivery is unknown or not dead/failed, exceptionally
     * when the journal refused it.
     */
    public CompletableFuture<Boolean> retry(String deliveryId) {
        return recordOnEngine(() -> book.isRetryable(deliveryId),
                () -> DeliveryRecords.retryRequested(deliveryId, clock.instant()), () -> {
                    book.retryRequested(deliveryId, clock.instant());
                    Delivery delivery = book.get(deliveryId);
                    log.info("delivery retry requested", Field.kind(delivery.kind().wireName()),
                            Field.appointmentId(delivery.appointmentId()));
                });
    }

    /** A patient's confirming reply from {@code phone}: what it confirmed, once on disk (see {@link ReplyConfirmations}). */
    public CompletableFuture<ReplyConfirmations.Result> confirmedByReply(String phone) {
        CompletableFuture<ReplyConfirmations.Result> done = new CompletableFuture<>();
        inbox.submit(() -> confirmations.confirm(phone, done));
        return done;
    }

    /**
     * On the engine thread: when {@code needed}, writes the record and applies the change
     * once it is on disk. The future says whether anything changed, or fails when the
     * journal refused the record.
     */
    private CompletableFuture<Boolean> recordOnEngine(BooleanSupplier needed, Supplier<JournalRecord> record, Runnable apply) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        inbox.submit(() -> {
            if (!needed.getAsBoolean()) {
                done.complete(false);
                return;
            }
            DurableBatch batch = batch();
            batch.add(List.of(record.get()), () -> {
                apply.run();
                done.complete(true);
            }, () -> done.completeExceptionally(new IOException("the journal did not take the record")));
            batch.commit();
        });
        return done;
    }

    /**
     * On the engine thread, between two of its steps (nothing changes while it runs), hands
     * {@code image} the journal position the state stands at; completes with it, or with
     * {@link JournalPosition#NONE} while a refused plan waits or a write given up on may still land.
     */
    public CompletableFuture<Long> checkpoint(StateImage image) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        inbox.submit(() -> {
            if (!planning.isEmpty() || !stragglers.quiet()) {
                done.complete(JournalPosition.NONE);
                return;
            }
            // Every record the engine applied was completed before now, so lies before this;
            // every stored event before it has reached the inbox.
            long position = journal.settledPosition();
            try {
                image.write(position, inbox.storedBefore(position));
                done.complete(position);
            } catch (IOException | RuntimeException failed) {
                done.completeExceptionally(failed);
            }
        });
        return done;
    }

    /** Deliveries in {@code state} (at most {@code limit}), oldest due first, as the operator sees them. */
    public CompletableFuture<List<DeliveryView>> inState(DeliveryState state, int limit) {
        return query(() -> OperatorView.inState(book, appointments, reads, state, limit));
    }

    /** Every delivery as the operator view shows it. */
    public CompletableFuture<List<DeliveryView>> snapshot() {
        return query(() -> OperatorView.all(book, appointments, reads));
    }

    private <T> CompletableFuture<T> query(Supplier<T> onEngine) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        inbox.submit(() -> answer.complete(onEngine.get()));
        return answer;
    }

    /** Seconds the longest-waiting overdue delivery has waited (0 when none), counted up to now even while the engine
     *  sleeps (a provider that hangs holds every slot of a lane). */
    public long oldestPendingAgeSeconds() {
        Instant oldest = oldestPendingDueAt;
        Instant now = clock.instant();
        return oldest == null || oldest.isAfter(now) ? 0 : Duration.between(oldest, now).getSeconds();
    }

    /** Deliveries per state, as of the last turn (for /health and metrics). */
    public Map<DeliveryState, Integer> counts() {
        return counts;
    }

    /** Attempts decided and not yet settled (tests wait for 0). */
    public int sendsInFlight() {
        return lanes.slotsTaken();
    }

    /**
     * Blocks until the engine has finished a whole turn after this call: everything queued
     * before it processed, and every delivery due by then started (for tests and shutdown).
     */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        inbox.submit(() -> turnEnd.add(done));
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Blocks until a turn ends with nothing left to do by the engine's clock as it stands:
     * every stored event planned, every attempt settled and recorded, nothing due that a
     * free slot would start. Tests call it after moving their clock instead of sleeping.
     */
    public boolean awaitSettled(long timeoutMillis) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        inbox.submit(() -> settledWaiters.add(done));
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        dispatch.reconcileAfterCrash();
        while (running) {
            try {
                turn();
            } catch (InterruptedException stopping) {
                return;
            } catch (RuntimeException unexpected) {
                log.error("delivery engine turn failed", Field.reason(unexpected.getClass().getName()));
            }
        }
    }

    private void turn() throws InterruptedException {
        Runnable command = inbox.next(sleepNanos());
        // Stored events are planned before the commands, so a query or an operator's retry
        // sent after an event was stored sees that event's plan.
        planning.add(inbox.takeStoredEvents());
        planning.planDue(clock.instant());
        // Before the commands, so a query sees what a restart at this moment would hold.
        evictWhenDue(clock.instant());
        for (int i = 0; command != null && i < COMMANDS_PER_TURN_MAX; i++) {
            command.run();
            command = inbox.nextNow();
        }
        if (command != null) {
            command.run();
        }
        // Read after the commands: one of them may be a test's wake-up after moving the clock.
        Instant now = clock.instant();
        results.record(inbox.takeSettled(), now, batch());
        dispatch.startDue(now, batch());
        publishGauges();
        turnEnd.forEach(CountDownLatch::countDown);
        turnEnd.clear();
        if (isSettled(now)) {
            reads.forgetRecent(); // nothing is going out now: no patient data stays in memory
            settledWaiters.forEach(CountDownLatch::countDown);
            settledWaiters.clear();
        }
    }

    /** Nothing to do until the clock moves: nothing arrived, in flight, or due now in a lane with a free slot. */
    private boolean isSettled(Instant now) {
        Instant due = dispatch.nextDueAt();
        return lanes.slotsTaken() == results.waitingToBeRecordedAgain() && !inbox.hasArrivals()
                && planning.isWaitingFor(now) && (due == null || due.isAfter(now));
    }

    /** Until the earliest due time by the clock (at most {@link #SLEEP_MAX}); zero when work is waiting. */
    private long sleepNanos() {
        if (inbox.hasArrivals()) {
            return 0;
        }
        Instant next = Instants.earlier(Instants.earlier(planning.nextPlanAt(), results.nextRetryAt()),
                Instants.earlier(dispatch.nextDueAt(), nextEviction));
        if (next == null) {
            return SLEEP_MAX.toNanos();
        }
        Duration until = Duration.between(clock.instant(), next);
        return until.isNegative() ? 0 : Math.min(until.toNanos(), SLEEP_MAX.toNanos());
    }

    private void evictWhenDue(Instant now) {
        if (now.isBefore(nextEviction)) {
            return;
        }
        nextEviction = now.plus(EVICTION_INTERVAL);
        replay.forgetPast(now);
    }

    /** Counts per state and the oldest pending delivery, for /health and /metrics (they change only in turns). */
    private void publishGauges() {
        counts = book.countByState();
        oldestPendingDueAt = book.nextDueAt();
    }

    private void notStored(DurableBatch.Outcome outcome) {
        log.warnThrottled("engine_not_stored", "delivery engine could not record a step; it will retry",
                Field.reason(outcome == DurableBatch.Outcome.REFUSED ? "journal refused" : "journal too slow"));
    }

    /** State changes refused as illegal since start (0 unless there is a bug); for tests and metrics. */
    public long illegalTransitions() {
        return book.illegalTransitions();
    }

    /**
     * Stops the engine thread at the end of its turn (no turn is cut off in the middle: what
     * it recorded, it also applied) and the lane workers; attempts in flight are reconciled
     * at the next start.
     */
    @Override
    public void close() {
        running = false;
        inbox.wake();
        lanes.close();
        try {
            thread.join(STOP_WAIT_MILLIS);
            if (thread.isAlive()) {
                thread.interrupt(); // a turn stuck on the disk: cut it off after all
                thread.join(STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
