package clinicrelay.delivery;

import clinicrelay.config.QuietHours;
import clinicrelay.config.ReminderOffsets;
import clinicrelay.config.SmsConsent;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.journal.RecordCodec;
import clinicrelay.planning.Channel;
import clinicrelay.planning.Planner;
import clinicrelay.template.Templates;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.DiskFaults;
import clinicrelay.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A delivery engine on a real journal in a temp dir, driven by a hand-moved clock and
 * scripted providers. {@link #restart} closes everything and opens it again on the same
 * data, the way a process restart would, keeping the providers (they are the outside world).
 */
final class EngineHarness implements AutoCloseable {
    private static final long SETTLE_DEADLINE_MILLIS = 10_000;

    final Path dataDir;
    final MutableClock clock;
    final CapturedLog log;
    final ScriptedChannel sms;
    final ScriptedChannel email;
    /** The journal's write seam: healthy unless a test makes the disk fail. */
    final DiskFaults disk = new DiskFaults();
    /** What the engine texts through: {@link #sms}, unless a test puts a real client there. */
    private MessageChannel smsChannel;
    private final Planner.Settings planning;
    private Journal journal;
    private final RecordCodec codec = RecordCodec.plain();
    private EventIngest ingest;
    private DeliveryReplay replay;
    /** Where the ingest tells the engine of stored events; tests may put events there directly. */
    EngineInbox inbox;
    private long earlierStateErrors;
    DeliveryEngine engine;

    EngineHarness(Path dataDir, Instant now, String offsets, String quietHours, SmsConsent consent) throws Exception {
        this(dataDir, now, offsets, quietHours, consent, true);
    }

    /** @param settleAtStart false: nothing pokes the engine after it starts (it must get going by itself) */
    EngineHarness(Path dataDir, Instant now, String offsets, String quietHours, SmsConsent consent, boolean settleAtStart)
            throws Exception {
        this(dataDir, new MutableClock(now), new ScriptedChannel("sms"), new ScriptedChannel("email"),
                new Planner.Settings(ReminderOffsets.parse(offsets), QuietHours.parse(quietHours), consent,
                        ZoneId.of("America/New_York")), settleAtStart);
    }

    private EngineHarness(Path dataDir, MutableClock clock, ScriptedChannel sms, ScriptedChannel email,
                          Planner.Settings planning, boolean settleAtStart) throws Exception {
        this.dataDir = dataDir;
        this.clock = clock;
        this.log = new CapturedLog(clock);
        this.sms = sms;
        this.email = email;
        this.planning = planning;
        this.smsChannel = sms;
        open(settleAtStart);
    }

    /** Texts through {@code channel} (a real Twilio client, say) from the next start on. */
    void textThrough(MessageChannel channel) throws Exception {
        smsChannel = channel;
        restart();
    }

    private void open() throws Exception {
        open(true);
    }

    private void open(boolean settleAtStart) throws Exception {
        EventIngest.Replay seen = new EventIngest.Replay(java.time.Duration.ofDays(30));
        replay = new DeliveryReplay(codec, EngineObserver.NONE, log.log());
        journal = Journal.open(dataDir, new Journal.Options(Journal.Options.defaults().segmentBytesMax(), disk), record -> {
            seen.visit(record);
            replay.visit(record);
        }, log.log());
        Map<Channel, MessageChannel> channels = new EnumMap<>(Channel.class);
        channels.put(Channel.SMS, smsChannel);
        channels.put(Channel.EMAIL, email);
        inbox = new EngineInbox();
        ingest = seen.attach(journal, codec, clock, inbox);
        engine = new DeliveryEngine(journal, codec, replay, inbox, new clinicrelay.delivery.EngineSettings(planning, Templates.load(null),
                "Elm Street Clinic", channels, null, clock, new Random(7)), log.log());
        engine.start();
        if (settleAtStart) {
            settle();
        }
    }

    /** Stores an event as the receiver would; the engine plans it and settles every send. */
    void store(AppointmentEvent event) throws Exception {
        storeWithoutSettling(event);
        settle();
    }

    /** Stores an event and waits only for the engine's own work (a held send stays in flight). */
    void storeWithoutSettling(AppointmentEvent event) throws Exception {
        ingest.ingest(event, ("{\"event_id\":\"" + event.eventId() + "\"}").getBytes(StandardCharsets.UTF_8), "test");
        engine.awaitIdle(SETTLE_DEADLINE_MILLIS);
    }

    /**
     * Writes an event's record and returns its position, telling nothing to the engine: as if
     * the process had stored it just before the engine could hear of it.
     */
    long writeOnly(AppointmentEvent event, Instant receivedAt) throws Exception {
        return journal.append(codec.encodeFrame(clinicrelay.ingest.EventRecords.toRecord(event,
                ("{\"event_id\":\"" + event.eventId() + "\"}").getBytes(StandardCharsets.UTF_8), "test", receivedAt)))
                .get(SETTLE_DEADLINE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Stores an event and returns once it is on disk, without waiting for the engine at all. */
    void ingestOnly(AppointmentEvent event) throws Exception {
        ingest.ingest(event, ("{\"event_id\":\"" + event.eventId() + "\"}").getBytes(StandardCharsets.UTF_8), "test");
    }

    /** Moves the clock and lets the engine do everything due by then. */
    void advanceTo(Instant moment) throws Exception {
        clock.set(moment);
        engine.wake();
        settle();
    }

    /** Waits until the engine has nothing left to do by its clock: every event planned, every send settled. */
    void settle() throws Exception {
        if (!engine.awaitSettled(SETTLE_DEADLINE_MILLIS)) {
            throw new AssertionError("engine did not settle: " + engine.sendsInFlight() + " sends in flight");
        }
    }

    /** Moves the clock by {@code step} and lets the engine do everything due by then. */
    void advanceBy(java.time.Duration step) throws Exception {
        advanceTo(clock.instant().plus(step));
    }

    Map<String, DeliveryState> states() throws Exception {
        Map<String, DeliveryState> states = new HashMap<>();
        for (DeliveryView view : engine.snapshot().get()) {
            states.put(view.id(), view.state());
        }
        return states;
    }

    /**
     * The one delivery whose id holds {@code idPart} as whole "|"-separated parts (a
     * notice's id ends with its event's tag, which tests need not spell out).
     */
    DeliveryView view(String idPart) throws Exception {
        DeliveryView found = null;
        for (DeliveryView view : engine.snapshot().get()) {
            if (("|" + view.id() + "|").contains("|" + idPart + "|")) {
                if (found != null) {
                    throw new AssertionError("more than one delivery matches " + idPart + ": " + found.id() + ", " + view.id());
                }
                found = view;
            }
        }
        if (found == null) {
            throw new AssertionError("no delivery matches " + idPart);
        }
        return found;
    }

    /**
     * Moves the clock to each next attempt of one delivery until it is no longer pending
     * (sent, dead, ...), at most {@code attemptsMax} times; returns how it ended.
     */
    DeliveryView advanceUntilSettled(String idPart, int attemptsMax) throws Exception {
        DeliveryView view = view(idPart);
        for (int i = 0; i < attemptsMax && view.state() == DeliveryState.PENDING; i++) {
            advanceTo(view.dueAt());
            view = view(idPart);
        }
        return view;
    }

    /** Closes the engine and the journal as a stopping process would, then opens them again. */
    void restart() throws Exception {
        earlierStateErrors += stateErrors();
        closeQuietly();
        open();
    }

    /** Stops without waiting for sends in flight: they stay recorded as attempts without a result. */
    void closeQuietly() {
        engine.close();
        journal.close();
    }

    /** Illegal state changes refused and invariants found broken after the last replay: 0 unless the engine has a bug. */
    long stateErrors() {
        return earlierStateErrors + engine.illegalTransitions() + replay.invariantViolations();
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
