package clinicrelay.delivery;

import clinicrelay.appointment.Appointment;
import clinicrelay.appointment.AppointmentStatus;
import clinicrelay.appointment.Appointments;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.RecordCodec;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.template.Templates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Acts on appointments: plans messages when events arrive, sends them when due, records
 * every step in the journal before acting on it, and retries, reconciles and gives up as
 * issue 3 says.
 *
 * <p>One thread owns all state (appointments, deliveries, opt-outs); everything else talks
 * to it through its inbox. Sends run on a small bounded pool per channel, so one slow
 * provider or number never holds up the others, and their results come back through the
 * inbox. Every decision is written (write → force) before it takes effect, and takes effect
 * through {@link DeliveryBook}, the same code replay uses: after a restart the state is
 * exactly what it was.
 */
public final class DeliveryEngine implements AutoCloseable {
    /** Commands waiting for the engine thread; when full, callers wait (backpressure). */
    static final int INBOX_MAX = 10_000;
    /** Worker threads per channel: enough to keep a provider busy, few enough for a small VM. */
    static final int CHANNEL_WORKERS = 4;
    /** Sends queued per channel beyond the workers. */
    static final int CHANNEL_QUEUE_MAX = 256;
    /** Sends started per channel and not yet settled; further due deliveries wait their turn in the due queue. */
    static final int CHANNEL_IN_FLIGHT_MAX = CHANNEL_WORKERS * 2;
    /** Longest the engine sleeps with nothing due, so a clock moved by tests is noticed. */
    static final long IDLE_WAIT_MILLIS_MAX = 1000;
    /** Delay before trying again when the journal or a channel queue refused work. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(5);
    /** Longest the engine waits for its records to be forced. */
    static final long PERSIST_WAIT_MILLIS_MAX = 10_000;
    /** How long dead, failed and undelivered messages stay visible to the operator after their appointment. */
    static final Duration PROBLEM_RETENTION = Duration.ofDays(30);
    /** How often past appointments and finished deliveries are forgotten (memory only: it changes no outcome). */
    static final Duration EVICTION_INTERVAL = Duration.ofHours(1);
    /** Commands run per loop turn before due deliveries get their turn. */
    private static final int COMMANDS_PER_TURN_MAX = 256;

    private final Journal journal;
    private final RecordCodec codec;
    private final Planner planner;
    private final MessageRenderer renderer;
    private final QuietHours quietHours;
    private final ZoneId clinicZone;
    private final Map<Channel, MessageChannel> channels;
    private final Map<Channel, ExecutorService> workers = new EnumMap<>(Channel.class);
    private final RetryPolicy retries;
    private final Clock clock;
    private final Log log;
    private final Appointments appointments;
    private final DeliveryBook book;
    private final BlockingQueue<Runnable> inbox = new ArrayBlockingQueue<>(INBOX_MAX);
    /**
     * Events stored and not yet planned, in journal order. Filled from the journal's writer
     * thread, which must never block, so this is the one queue without a fixed bound: it
     * holds what the receiver stored while the engine was busy, and each entry is already
     * on disk (so a restart would plan it anyway).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<DeliveryReplay.Unplanned> storedEvents =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Settled sends from the channel workers; at most one per delivery in flight, so bounded by them. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Finished> results = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /**
     * Stored events the engine has taken but not yet planned, in journal order. When the
     * journal refuses a plan, that event and every one after it wait here, so an
     * appointment's events are always planned in the order they were stored.
     */
    private final List<DeliveryReplay.Unplanned> backlog = new ArrayList<>();
    /** Set after the journal refused a plan: the backlog waits until this System.nanoTime(). */
    private boolean backlogWaiting;
    private long backlogRetryNanos;
    private final DeliveryReplay replay;
    private final EngineObserver observer;
    private Instant nextEviction = Instant.MIN;
    private final Thread thread;
    private volatile boolean running = true;
    /** Latches to release at the end of the current turn (after due sends were started). */
    private final List<CountDownLatch> turnEnd = new ArrayList<>();
    /** Sends handed to a channel whose result the engine has not processed yet. */
    private final AtomicInteger sendsInFlight = new AtomicInteger();
    /** The same per channel, counted from the moment an attempt is decided (engine thread only). */
    private final Map<Channel, Integer> channelLoad = new EnumMap<>(Channel.class);
    /** Set when due deliveries had to wait for a busy channel: the engine then waits for results, not time. */
    private boolean channelsBusy;
    private volatile Map<DeliveryState, Integer> counts = Map.of();
    private volatile long oldestPendingAgeSeconds;
    /** System.nanoTime() of the last gauge refresh, 0 before the first. */
    private long gaugesAt;

    /** Everything the engine needs besides its journal and replayed state. */
    public record Settings(Planner.Settings planning, Templates templates, String clinicName,
                           Map<Channel, MessageChannel> channels, Clock clock, java.util.Random random) {
    }

    public DeliveryEngine(Journal journal, RecordCodec codec, DeliveryReplay replay, Settings settings, Log log) {
        this.journal = journal;
        this.codec = codec;
        this.planner = new Planner(settings.planning());
        this.quietHours = settings.planning().quietHours();
        this.clinicZone = settings.planning().clinicZone();
        this.renderer = new MessageRenderer(settings.templates(), settings.clinicName(), clinicZone);
        this.channels = settings.channels();
        this.retries = new RetryPolicy(settings.random());
        this.clock = settings.clock();
        this.log = log;
        this.appointments = replay.appointments;
        this.book = replay.book;
        this.backlog.addAll(replay.unplanned());
        this.replay = replay;
        this.observer = replay.observer;
        for (Channel channel : Channel.values()) {
            AtomicInteger number = new AtomicInteger();
            workers.put(channel, new ThreadPoolExecutor(CHANNEL_WORKERS, CHANNEL_WORKERS, 0, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(CHANNEL_QUEUE_MAX), task -> {
                        Thread t = new Thread(task, "send-" + channel.name().toLowerCase(java.util.Locale.ROOT) + "-"
                                + number.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }));
        }
        this.thread = new Thread(this::run, "delivery-engine");
        this.thread.setDaemon(true);
    }

    /** Plans what a crash left unplanned, reconciles attempts left in flight, then starts sending. */
    public void start() {
        thread.start();
    }

    /** An event is on disk; plan for it (in the order events were stored). Never blocks. */
    public void eventStored(AppointmentEvent event, Instant receivedAt, String eventKey) {
        storedEvents.add(new DeliveryReplay.Unplanned(eventKey, event, receivedAt, null));
        inbox.offer(NOTHING);
    }

    private static final Runnable NOTHING = () -> { };

    /** Runs the engine loop once more now: tests call it after moving their clock. */
    public void wake() {
        submit(() -> { });
    }

    /**
     * A number sent STOP (or a provider said it opted out). The future completes with true
     * once it is on disk, false when it already was opted out, and exceptionally when the
     * journal refused it (the caller answers so that the provider tries again).
     */
    public CompletableFuture<Boolean> optOut(String phone, String source) {
        return recordOnEngine(() -> !book.isOptedOut(phone),
                () -> List.of(DeliveryRecords.optedOut(phone, source, clock.instant())), () -> book.optedOut(phone, clock.instant()));
    }

    /** A number sent START; completes like {@link #optOut}. */
    public CompletableFuture<Boolean> optIn(String phone) {
        return recordOnEngine(() -> book.isOptedOut(phone),
                () -> List.of(DeliveryRecords.optedIn(phone, clock.instant())), () -> book.optedIn(phone));
    }

    /**
     * A provider status for a sent message; never downgrades. Completes like {@link #optOut}:
     * false when it changes nothing (unknown delivery, or no step forward).
     */
    public CompletableFuture<Boolean> statusReported(String deliveryId, DeliveryState status, String errorCode) {
        return recordOnEngine(() -> book.wouldTakeStatus(deliveryId, status),
                () -> List.of(DeliveryRecords.status(deliveryId, status, errorCode)), () -> {
                    book.status(deliveryId, status);
                    Delivery delivery = book.get(deliveryId);
                    log.info("delivery status", Field.outcome(status.wireName()), Field.appointmentId(delivery.appointmentId),
                            Field.count("attempt", delivery.attempts), Field.reason(errorCode == null ? "-" : errorCode));
                });
    }

    /**
     * On the engine thread: when {@code needed}, writes the records and applies the change
     * once they are on disk. The future says whether anything changed, or fails when the
     * journal refused the records.
     */
    private CompletableFuture<Boolean> recordOnEngine(java.util.function.BooleanSupplier needed,
                                                     java.util.function.Supplier<List<JournalRecord>> records, Runnable apply) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        submit(() -> {
            if (!needed.getAsBoolean()) {
                done.complete(false);
            } else if (persistThenApply(records.get(), apply)) {
                done.complete(true);
            } else {
                done.completeExceptionally(new java.io.IOException("the journal did not take the record"));
            }
        });
        return done;
    }

    /**
     * A dead, failed or pending delivery as the operator sees it: the recipient masked
     * ({@code +1•••••••0123}), no text.
     */
    public record OperatorRow(String id, String appointmentId, DeliveryKind kind, DeliveryState state, int attempts,
                              String lastError, Instant dueAt, String maskedRecipient) {
    }

    /** Deliveries in {@code state} (at most {@code limit}), oldest due first, taken on the engine thread. */
    public CompletableFuture<List<OperatorRow>> inState(DeliveryState state, int limit) {
        CompletableFuture<List<OperatorRow>> rows = new CompletableFuture<>();
        submit(() -> {
            List<OperatorRow> found = new ArrayList<>();
            for (Delivery d : book.inState(state)) {
                if (found.size() == limit) {
                    break;
                }
                Appointment appointment = appointments.get(d.appointmentId);
                String recipient = d.kind == DeliveryKind.FETCH_DETAILS ? null : recipient(d, appointment);
                found.add(new OperatorRow(d.id, d.appointmentId, d.kind, d.state, d.attempts, d.lastError, d.dueAt,
                        Masking.recipient(recipient)));
            }
            rows.complete(found);
        });
        return rows;
    }

    /**
     * The operator asks to try a dead or failed delivery again, with a fresh budget: true once
     * that is on disk, false when the delivery is unknown or not dead/failed, exceptionally
     * when the journal refused it.
     */
    public CompletableFuture<Boolean> retry(String deliveryId) {
        return recordOnEngine(() -> book.isRetryable(deliveryId),
                () -> List.of(DeliveryRecords.retryRequested(deliveryId, clock.instant())), () -> {
                    book.retryRequested(deliveryId, clock.instant());
                    Delivery delivery = book.get(deliveryId);
                    log.info("delivery retry requested", Field.kind(delivery.kind.wireName()),
                            Field.appointmentId(delivery.appointmentId));
                });
    }

    /** Seconds the longest-waiting overdue delivery has waited (0 when none), as of the last turn. */
    public long oldestPendingAgeSeconds() {
        return oldestPendingAgeSeconds;
    }

    /** One delivery as the operator view and tests see it: no patient data. */
    public record View(String id, String appointmentId, DeliveryKind kind, DeliveryState state, int attempts,
                       String lastError, Instant dueAt, String providerId) {
    }

    /** Every delivery's current state, taken on the engine thread. */
    public CompletableFuture<List<View>> snapshot() {
        CompletableFuture<List<View>> views = new CompletableFuture<>();
        submit(() -> views.complete(book.views()));
        return views;
    }

    /** Sends handed to a channel and not yet settled (tests wait for 0). */
    public int sendsInFlight() {
        return sendsInFlight.get();
    }

    /** Deliveries per state, as of the engine's last turn (for /health and metrics). */
    public Map<DeliveryState, Integer> counts() {
        return counts;
    }

    private void submit(Runnable command) {
        try {
            inbox.put(command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        planStored();
        reconcileInFlight();
        while (running) {
            try {
                Runnable command = inbox.poll(waitMillis(), TimeUnit.MILLISECONDS);
                planStored();
                for (int i = 0; command != null && i < COMMANDS_PER_TURN_MAX; i++) {
                    command.run();
                    command = inbox.poll();
                }
                if (command != null) {
                    command.run();
                }
                recordResults(drain(results));
                sendDue();
                evictWhenDue();
                refreshGauges();
                turnEnd.forEach(CountDownLatch::countDown);
                turnEnd.clear();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException unexpected) {
                log.error("delivery engine turn failed", Field.reason(unexpected.getClass().getName()));
            }
        }
    }

    /** Counts per state and the oldest overdue delivery, for /health and /metrics: at most once a second (a scan). */
    private void refreshGauges() {
        long now = System.nanoTime();
        if (gaugesAt != 0 && now - gaugesAt < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        gaugesAt = now;
        counts = book.countByState();
        Instant oldest = book.nextDueAt();
        Instant at = clock.instant();
        oldestPendingAgeSeconds = oldest == null || oldest.isAfter(at) ? 0 : Duration.between(oldest, at).getSeconds();
    }

    private void evictWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextEviction)) {
            return;
        }
        nextEviction = now.plus(EVICTION_INTERVAL);
        replay.forgetPast(now);
    }

    private static <T> List<T> drain(java.util.Queue<T> queue) {
        List<T> items = new ArrayList<>();
        T item;
        while ((item = queue.poll()) != null) {
            items.add(item);
        }
        return items;
    }

    private long waitMillis() {
        if (!storedEvents.isEmpty() || !results.isEmpty()) {
            return 0;
        }
        if (!backlog.isEmpty()) {
            long nanos = backlogWaiting ? backlogRetryNanos - System.nanoTime() : 0;
            return Math.max(0, Math.min(TimeUnit.NANOSECONDS.toMillis(nanos), IDLE_WAIT_MILLIS_MAX));
        }
        if (channelsBusy) {
            return IDLE_WAIT_MILLIS_MAX; // a settled send wakes the engine
        }
        Instant next = book.nextDueAt();
        if (next == null) {
            return IDLE_WAIT_MILLIS_MAX;
        }
        long millis = Duration.between(clock.instant(), next).toMillis();
        return Math.max(0, Math.min(millis, IDLE_WAIT_MILLIS_MAX));
    }

    /** Plans the backlog and what was stored since, in order, unless the journal asked for a pause. */
    private void planStored() {
        backlog.addAll(drain(storedEvents));
        if (backlog.isEmpty() || backlogWaiting && System.nanoTime() - backlogRetryNanos < 0) {
            return;
        }
        int planned = planInOrder(backlog);
        backlog.subList(0, planned).clear();
        backlogWaiting = !backlog.isEmpty();
        backlogRetryNanos = System.nanoTime() + BUSY_RETRY.toNanos();
    }

    /**
     * Plans events in order, recording the plans of events about different appointments
     * together (one wait for the disk); an event about an appointment already in the batch
     * waits for the batch, since its plan depends on the one before. Stops at the first plan
     * the journal refused. Each event in {@code events} is replaced by itself with the
     * change it made, so planning it again does not fold it in twice.
     *
     * @return how many events, from the first, are planned
     */
    private int planInOrder(List<DeliveryReplay.Unplanned> events) {
        Batch batch = new Batch();
        java.util.Set<String> appointmentsInBatch = new java.util.HashSet<>();
        int planned = 0;
        for (int i = 0; i < events.size(); i++) {
            String appointmentId = events.get(i).event().appointmentId();
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
            events.set(i, plan(events.get(i), batch));
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
    private DeliveryReplay.Unplanned plan(DeliveryReplay.Unplanned stored, Batch batch) {
        AppointmentEvent event = stored.event();
        Appointments.Change change = stored.change();
        if (change == null) {
            change = appointments.apply(event, stored.receivedAt());
            if (change != null) {
                observer.appointmentChanged(change, event, stored.receivedAt()); // (replay told of the others)
            }
        }
        DeliveryReplay.Unplanned withChange = new DeliveryReplay.Unplanned(stored.eventKey(), event, stored.receivedAt(), change);
        Planner.Plan plan;
        if (change != null) {
            plan = planner.plan(change, change.type(), stored.receivedAt(), stored.eventKey(), book.pendingFor(change.after().id()));
        } else if (AppointmentEvent.SHAPE_THIN.equals(event.shape())) {
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
        if (plan.isEmpty()) {
            batch.add(records, () -> { }, () -> { });
            return withChange;
        }
        batch.add(records, () -> {
            plan.cancel().forEach(book::cancelled);
            created.forEach(book::planned);
            for (PlannedDelivery delivery : created) {
                MessageChannel channel = channels.get(delivery.kind().channel());
                if (channel != null) {
                    channel.planned(delivery);
                }
            }
            log.info("planned", Field.eventId(event.eventId()), Field.appointmentId(event.appointmentId()),
                    Field.count("created", created.size()), Field.count("cancelled", plan.cancel().size()));
        }, () -> { });
        return withChange;
    }

    /** Starts every delivery due by now: the checks, then all attempts recorded with one wait, then the sends. */
    private void sendDue() {
        Instant now = clock.instant();
        Batch batch = new Batch();
        List<Delivery> waiting = new ArrayList<>();
        Delivery delivery;
        while ((delivery = book.takeDue(now)) != null) {
            if (load(delivery.kind.channel()) >= CHANNEL_IN_FLIGHT_MAX) {
                waiting.add(delivery);
            } else {
                start(delivery, now, batch);
            }
        }
        batch.commit();
        channelsBusy = !waiting.isEmpty();
        for (Delivery later : waiting) {
            book.postpone(later, later.dueAt); // still due: taken again when a send settles
        }
    }

    private int load(Channel channel) {
        return channelLoad.getOrDefault(channel, 0);
    }

    private void changeLoad(Channel channel, int delta) {
        channelLoad.merge(channel, delta, Integer::sum);
    }

    /**
     * Checks a due delivery once more, renders it, and adds its attempt (or why not) to the
     * batch. A delivery whose last send had an unknown outcome is first looked for at the
     * provider instead: that sends nothing, so no check stands in its way.
     */
    private void start(Delivery delivery, Instant now, Batch batch) {
        if (delivery.verify) {
            startCheck(delivery, now, batch);
            return;
        }
        if (delivery.kind == DeliveryKind.FETCH_DETAILS) {
            startFetch(delivery, now, batch);
            return;
        }
        Appointment appointment = appointments.get(delivery.appointmentId);
        String skip = reasonNotToSend(delivery, appointment, now);
        if (skip != null) {
            conclude(batch, delivery, skip.equals(EXPIRED) ? DeliveryState.EXPIRED : DeliveryState.SKIPPED, null, skip, null, 0);
            return;
        }
        if (delivery.kind.channel() == Channel.SMS) {
            Instant allowed = quietHours.nextAllowed(now.atZone(zoneOf(appointment))).toInstant();
            if (allowed.isAfter(now)) {
                if (allowed.isBefore(delivery.notAfter)) {
                    conclude(batch, delivery, DeliveryState.PENDING, null, "quiet hours", allowed, -1);
                } else {
                    conclude(batch, delivery, DeliveryState.EXPIRED, null, "quiet hours until the appointment", null, 0);
                }
                return;
            }
        }
        Templates.Message text = renderer.render(delivery.kind, appointment);
        OutgoingMessage message = new OutgoingMessage(delivery.id, delivery.attempts + 1, delivery.kind.channel(),
                recipient(delivery, appointment), text.subject(), text.body());
        MessageChannel channel = channels.get(delivery.kind.channel());
        startAttempt(delivery, message, now, false, batch, () -> {
            long started = System.nanoTime();
            SendResult result = channel.send(message);
            return new Timed(result, System.nanoTime() - started);
        });
    }

    /** Fetches a thin event's details (see zocdoc.ZocdocEnrichment): the "message" is the appointment id. */
    private void startFetch(Delivery delivery, Instant now, Batch batch) {
        MessageChannel channel = channels.get(Channel.ZOCDOC);
        if (channel == null || !now.isBefore(delivery.notAfter)) {
            conclude(batch, delivery, DeliveryState.EXPIRED, null, channel == null ? "zocdoc api not configured"
                    : "fetch window over", null, 0);
            return;
        }
        OutgoingMessage fetch = new OutgoingMessage(delivery.id, delivery.attempts + 1, Channel.ZOCDOC,
                delivery.appointmentId, null, null);
        startAttempt(delivery, fetch, now, false, batch, () -> {
            long started = System.nanoTime();
            SendResult result = channel.send(fetch);
            return new Timed(result, System.nanoTime() - started);
        });
    }

    /** An attempt that asks the provider whether the last send, whose outcome was unknown, went out. */
    private void startCheck(Delivery delivery, Instant now, Batch batch) {
        OutgoingMessage check = book.unsettled(delivery.id).asAttempt(delivery.attempts + 1);
        Instant since = delivery.sentSince;
        MessageChannel channel = channels.get(check.channel());
        java.util.Set<String> claimed = book.providerIdsOfOthers(delivery);
        startAttempt(delivery, check, now, true, batch, () -> lookFor(channel, check, since, claimed));
    }

    /** Records the attempt, then hands the call to the channel's workers once it is on disk. */
    private void startAttempt(Delivery delivery, OutgoingMessage message, Instant now, boolean check, Batch batch,
                              ChannelCall call) {
        MessageChannel channel = channels.get(message.channel());
        changeLoad(message.channel(), 1);
        batch.add(List.of(DeliveryRecords.attempt(message, now, channel.name(), check)), () -> {
            book.attemptStarted(message, now, check);
            dispatch(message, call);
        }, () -> {
            changeLoad(message.channel(), -1);
            book.postpone(delivery, now.plus(BUSY_RETRY));
        });
    }

    /**
     * Asks the provider whether a message sent since {@code since} is there: found is sent,
     * not found is sent now (without counting a failure), and a provider that cannot tell
     * leaves the outcome unknown, to be asked again later.
     */
    private static Timed lookFor(MessageChannel channel, OutgoingMessage message, Instant since,
                                 java.util.Set<String> claimed) throws InterruptedException {
        try {
            String providerId = channel.findSent(message, since, claimed);
            return new Timed(providerId != null ? new SendResult.Sent(providerId)
                    : new SendResult.NotSent("not found at provider"), 0);
        } catch (MessageChannel.ReconcileException cannotTell) {
            return new Timed(new SendResult.Uncertain("reconcile: " + cannotTell.getMessage(), null), 0);
        }
    }

    private static final String EXPIRED = "appointment started";

    /**
     * Why this delivery must not go out now, or null when it may. Consent is checked here
     * again, not only when planning: a later event may have withdrawn it.
     */
    private String reasonNotToSend(Delivery delivery, Appointment appointment, Instant now) {
        if (!now.isBefore(delivery.notAfter)) {
            return EXPIRED;
        }
        if (appointment == null) {
            return "appointment unknown";
        }
        if (delivery.kind != DeliveryKind.CANCELLATION_SMS && !appointment.isBooked()) {
            return "appointment no longer booked";
        }
        if (delivery.kind == DeliveryKind.CANCELLATION_SMS && appointment.status() != AppointmentStatus.CANCELLED) {
            return "appointment booked again"; // an operator's late retry must not tell a booked patient "cancelled"
        }
        if (appointment.start() == null || !appointment.start().toInstant().equals(delivery.notAfter)) {
            // planned for another start (it was in flight when the appointment moved)
            return "appointment moved";
        }
        String to = recipient(delivery, appointment);
        boolean sms = delivery.kind.channel() == Channel.SMS;
        if (to == null) {
            return "no " + (sms ? "phone" : "email");
        }
        if (sms ? !planner.mayText(appointment.patient()) : !Planner.mayEmail(appointment.patient())) {
            return "no consent";
        }
        if (sms && book.isOptedOut(to)) {
            return "opted out";
        }
        return null;
    }

    private static String recipient(Delivery delivery, Appointment appointment) {
        if (appointment == null || appointment.patient() == null) {
            return null;
        }
        return delivery.kind.channel() == Channel.SMS ? appointment.patient().phone() : appointment.patient().email();
    }

    private ZoneId zoneOf(Appointment appointment) {
        if (clinicZone != null) {
            return clinicZone;
        }
        return appointment.start() != null ? appointment.start().getOffset() : java.time.ZoneOffset.UTC;
    }

    /** A send's result and how long the provider took. */
    private record Timed(SendResult result, long nanos) {
    }

    /** A settled send waiting for the engine thread to record it. */
    private record Finished(OutgoingMessage message, Timed timed) {
    }

    /** Work for a channel's pool whose result comes back to the engine thread. */
    private interface ChannelCall {
        Timed call() throws InterruptedException;
    }

    private void dispatch(OutgoingMessage message, ChannelCall call) {
        sendsInFlight.incrementAndGet();
        try {
            workers.get(message.channel()).execute(() -> {
                Timed timed;
                try {
                    timed = call.call();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException unexpected) {
                    // Nobody knows how far it got: look before sending again, as after a broken connection.
                    timed = new Timed(new SendResult.Uncertain(unexpected.getClass().getSimpleName(), null), 0);
                }
                results.add(new Finished(message, timed));
                inbox.offer(NOTHING);
            });
        } catch (RejectedExecutionException busy) {
            results.add(new Finished(message, new Timed(new SendResult.Retry("channel queue full", BUSY_RETRY), 0)));
        }
    }

    /** Records how the settled sends ended, all with one wait for the disk, and schedules what follows each. */
    private void recordResults(List<Finished> settled) {
        Batch batch = new Batch();
        Instant now = clock.instant();
        for (Finished finished : settled) {
            sendsInFlight.decrementAndGet();
            changeLoad(finished.message().channel(), -1);
            Delivery delivery = book.get(finished.message().deliveryId());
            if (delivery == null || delivery.state != DeliveryState.ATTEMPTING) {
                continue;
            }
            recordResult(batch, delivery, finished, now);
        }
        batch.commit();
    }

    private void recordResult(Batch batch, Delivery delivery, Finished finished, Instant now) {
        SendResult result = finished.timed().result();
        long nanos = finished.timed().nanos();
        Runnable retryLater = () -> {
            sendsInFlight.incrementAndGet();
            changeLoad(finished.message().channel(), 1);
            schedule(() -> results.add(finished));
        };
        if (result instanceof SendResult.Sent sent) {
            conclude(batch, delivery, DeliveryState.SENT, sent.providerId(), null, null, false, nanos, retryLater);
        } else if (result instanceof SendResult.NotSent notSent) {
            conclude(batch, delivery, DeliveryState.PENDING, null, notSent.reason(), now, false, nanos, retryLater);
        } else if (result instanceof SendResult.Retry retry) {
            retryOrGiveUp(batch, delivery, retry.reason(), retry.retryAfter(), false, now, nanos, retryLater);
        } else if (result instanceof SendResult.Uncertain uncertain) {
            retryOrGiveUp(batch, delivery, uncertain.reason(), uncertain.retryAfter(), true, now, nanos, retryLater);
        } else if (result instanceof SendResult.Failed failed) {
            conclude(batch, delivery, DeliveryState.FAILED, null, failed.reason(), null, false, nanos, retryLater);
            String to = finished.message().to();
            if (failed.optedOut() && to != null && !book.isOptedOut(to)) {
                batch.add(List.of(DeliveryRecords.optedOut(to, "provider", now)), () -> book.optedOut(to, now), () -> { });
            }
        }
    }

    /**
     * The next attempt after a backoff, or dead when the budget is spent, or expired when the
     * next attempt would come after the start. With {@code verify} the next attempt first
     * looks for this one at the provider.
     */
    private void retryOrGiveUp(Batch batch, Delivery delivery, String reason, Duration retryAfter, boolean verify,
                               Instant now, long nanos, Runnable retryLater) {
        Instant next = retries.nextAttempt(delivery.kind, delivery.attempts, now, retryAfter);
        if (next == null) {
            conclude(batch, delivery, DeliveryState.DEAD, null, reason, null, false, nanos, retryLater);
        } else if (!next.isBefore(delivery.notAfter)) {
            conclude(batch, delivery, DeliveryState.EXPIRED, null, reason, null, false, nanos, retryLater);
        } else {
            conclude(batch, delivery, DeliveryState.PENDING, null, reason, next, verify, nanos, retryLater);
        }
    }

    /** Adds a delivery's new state (a retry is PENDING with its time) to the batch; logged once on disk. */
    private void conclude(Batch batch, Delivery delivery, DeliveryState state, String providerId, String error,
                          Instant retryAt, long nanos) {
        conclude(batch, delivery, state, providerId, error, retryAt, false, nanos,
                () -> book.postpone(delivery, clock.instant().plus(BUSY_RETRY)));
    }

    /**
     * @param verify the outcome is unknown: the next attempt looks for the message first
     * @param nanos  how long the provider took, or -1 for a postponement not worth a log line
     */
    private void conclude(Batch batch, Delivery delivery, DeliveryState state, String providerId, String error,
                          Instant retryAt, boolean verify, long nanos, Runnable onFailed) {
        batch.add(List.of(DeliveryRecords.result(delivery.id, delivery.attempts, state, providerId, error, retryAt, verify)), () -> {
            book.result(delivery.id, state, providerId, error, retryAt, verify);
            if (nanos >= 0) {
                logAttempt(delivery, nanos);
            }
        }, onFailed);
    }

    private void logAttempt(Delivery delivery, long nanos) {
        Field[] fields = {
            Field.outcome(delivery.state.wireName()), Field.kind(delivery.kind.wireName()),
            Field.appointmentId(delivery.appointmentId), Field.count("attempt", delivery.attempts),
            Field.reason(delivery.lastError == null ? "-" : delivery.lastError), Field.latencyMillis(nanos)
        };
        if (delivery.state == DeliveryState.DEAD || delivery.state == DeliveryState.FAILED) {
            log.warn("delivery", fields);
        } else {
            log.info("delivery", fields);
        }
    }

    /**
     * After a crash: asks the provider about each attempt left without a result before
     * anything is resent (a check left in flight looks again for the send it checked).
     */
    private void reconcileInFlight() {
        for (OutgoingMessage message : book.inFlight()) {
            Delivery delivery = book.get(message.deliveryId());
            log.info("reconciling an attempt left without a result", Field.kind(delivery.kind.wireName()),
                    Field.appointmentId(delivery.appointmentId), Field.count("attempt", delivery.attempts));
            MessageChannel channel = channels.get(message.channel());
            Instant since = delivery.sentSince;
            java.util.Set<String> claimed = book.providerIdsOfOthers(delivery);
            changeLoad(message.channel(), 1);
            dispatch(message, () -> lookFor(channel, message, since, claimed));
        }
    }

    /** Runs a command on the engine thread after {@link #BUSY_RETRY}. */
    private void schedule(Runnable command) {
        CompletableFuture.delayedExecutor(BUSY_RETRY.toMillis(), TimeUnit.MILLISECONDS).execute(() -> submit(command));
    }

    /**
     * Records appended together and waited for once (the journal's group commit does the
     * rest): each entry's effect runs only when all its records are on disk, in order;
     * otherwise its failure handler runs.
     */
    private final class Batch {
        private record Entry(List<CompletableFuture<Void>> writes, Runnable onDurable, Runnable onFailed) {
        }

        private final List<Entry> entries = new ArrayList<>();

        void add(List<JournalRecord> records, Runnable onDurable, Runnable onFailed) {
            List<CompletableFuture<Void>> writes = new ArrayList<>(records.size());
            for (JournalRecord record : records) {
                writes.add(journal.append(codec.encodeFrame(record)));
            }
            entries.add(new Entry(writes, onDurable, onFailed));
        }

        int size() {
            return entries.size();
        }

        /** Applies each entry that is on disk, and runs the failure handler of each that is not. */
        void commit() {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERSIST_WAIT_MILLIS_MAX);
            for (Entry entry : entries) {
                if (await(entry.writes(), deadline)) {
                    entry.onDurable().run();
                } else {
                    entry.onFailed().run();
                }
            }
            entries.clear();
        }

        /**
         * Applies entries in order up to the first that is not on disk; that one and all
         * after it are left for the caller to redo (their failure handlers run).
         *
         * @return how many entries were applied
         */
        int commitInOrder() {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERSIST_WAIT_MILLIS_MAX);
            int applied = 0;
            boolean refused = false;
            for (Entry entry : entries) {
                refused = refused || !await(entry.writes(), deadline);
                if (refused) {
                    entry.onFailed().run();
                } else {
                    entry.onDurable().run();
                    applied++;
                }
            }
            entries.clear();
            return applied;
        }
    }

    private boolean await(List<CompletableFuture<Void>> writes, long deadlineNanos) {
        try {
            for (CompletableFuture<Void> write : writes) {
                write.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notStored) {
            log.warnThrottled("engine_not_stored", "delivery engine could not record a step; it will retry",
                    Field.reason(notStored.getClass().getSimpleName()));
            return false;
        }
    }

    /** Appends the records, waits until they are forced, then applies the change; false when the journal refused. */
    private boolean persistThenApply(List<JournalRecord> records, Runnable apply) {
        boolean[] done = {false};
        Batch batch = new Batch();
        batch.add(records, () -> {
            apply.run();
            done[0] = true;
        }, () -> { });
        batch.commit();
        return done[0];
    }

    /** Stops the engine thread and the channel workers; attempts in flight are reconciled at the next start. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        for (ExecutorService pool : workers.values()) {
            pool.shutdownNow();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Blocks until the engine has finished a whole turn after this call: everything queued
     * before it processed, and every delivery due by then started (for tests and shutdown).
     */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        submit(() -> turnEnd.add(done));
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
