package clinicrelay.delivery;

import static clinicrelay.delivery.EngineFixtures.ANA;
import static clinicrelay.delivery.EngineFixtures.BOOKED_AT;
import static clinicrelay.delivery.EngineFixtures.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.QuietHours;
import clinicrelay.config.ReminderOffsets;
import clinicrelay.config.SmsConsent;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.journal.RecordCodec;
import clinicrelay.planning.Channel;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.Planner;
import clinicrelay.template.Templates;
import clinicrelay.testing.Await;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine must keep doing however it is cut into parts: a step that throws is run
 * again and takes nothing down with it, a query sent after an event was stored sees its
 * plan, and a record written twice (its first write timed out, yet reached the disk)
 * replays without an illegal state change. (Each failed on a first cut of the split engine,
 * found by an independent review.)
 */
class DeliveryEngineRobustnessTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(BOOKED_AT);
    private final CapturedLog log = new CapturedLog(clock);
    private final ScriptedChannel sms = new ScriptedChannel("sms");
    private final ScriptedChannel email = new ScriptedChannel("email");
    private Journal journal;
    private EventIngest ingest;
    private DeliveryEngine engine;

    /** A fetch step that throws a RuntimeException on its first run (a parser bug, say), then works. */
    private static final class ThrowsOnce implements DurableStep {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public AttemptResult run(Input input) {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("unexpected answer");
            }
            return new AttemptResult.Sent("fetched-" + runs.get());
        }

        @Override
        public String name() {
            return "zocdoc";
        }
    }

    private void open(DurableStep fetch, EngineObserver observer) throws Exception {
        RecordCodec codec = RecordCodec.plain();
        EventIngest.Replay seen = new EventIngest.Replay(java.time.Duration.ofDays(30));
        DeliveryReplay replay = new DeliveryReplay(codec, observer, log.log());
        journal = Journal.open(dataDir, Journal.Options.defaults(), record -> {
            seen.visit(record);
            replay.visit(record);
        }, log.log());
        Map<Channel, MessageChannel> channels = new EnumMap<>(Channel.class);
        channels.put(Channel.SMS, sms);
        channels.put(Channel.EMAIL, email);
        EngineInbox inbox = new EngineInbox();
        ingest = seen.attach(journal, codec, clock, inbox);
        Planner.Settings planning = new Planner.Settings(ReminderOffsets.parse("24h"), QuietHours.parse("off"),
                SmsConsent.REQUIRED, ZoneId.of("America/New_York"), true);
        engine = new DeliveryEngine(journal, codec, replay, inbox, new clinicrelay.delivery.EngineSettings(planning,
                Templates.load(null), "Elm Street Clinic", channels, fetch, clock, new Random(7)), log.log());
        engine.start();
        assertTrue(engine.awaitIdle(10_000));
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    private void store(AppointmentEvent event) throws Exception {
        ingest.ingest(event, ("{\"event_id\":\"" + event.eventId() + "\"}").getBytes(StandardCharsets.UTF_8), "test");
    }

    private static AppointmentEvent thin(String appointmentId) {
        return AppointmentEvent.builder("zocdoc", EventShape.THIN, EventType.UPDATED).eventId("thin-" + appointmentId)
                .appointmentId(appointmentId).updatedAt("2026-11-27T15:00:00Z").build();
    }

    private DeliveryView only(DeliveryKind kind) throws Exception {
        List<DeliveryView> views = engine.snapshot().get(10, TimeUnit.SECONDS);
        DeliveryView found = null;
        for (DeliveryView view : views) {
            if (view.kind() == kind) {
                found = view;
            }
        }
        return found;
    }

    private void advanceTo(Instant moment) throws Exception {
        clock.set(moment);
        engine.wake();
        engine.awaitIdle(10_000);
    }

    /**
     * A step whose run threw has an unknown outcome; unlike a message there is nothing to
     * look for, so it is simply due again after its backoff, and runs again.
     */
    @Test
    void aStepWhoseRunThrewIsFetchedAgain() throws Exception {
        ThrowsOnce fetch = new ThrowsOnce();
        open(fetch, EngineObserver.NONE);
        store(thin("ap_thin"));
        Await.until("the first fetch", () -> fetch.runs.get() == 1);
        Await.until("the throwing fetch recorded as a retry", () -> {
            DeliveryView step = only(DeliveryKind.FETCH_DETAILS);
            return step != null && step.state() == DeliveryState.PENDING && step.attempts() == 1;
        });
        advanceTo(BOOKED_AT.plus(Duration.ofHours(1))); // past the retry (about 30 s)
        Await.until("the fetch done on its second run", () -> only(DeliveryKind.FETCH_DETAILS).state() == DeliveryState.SENT);
        assertEquals(2, fetch.runs.get(), "log:\n" + log.text());
        assertEquals(0, engine.illegalTransitions());
    }

    /** A reminder due in the same turn as such a step's retry goes out (the turn is not lost). */
    @Test
    void aReminderDueInTheSameTurnAsSuchAStepIsStillSent() throws Exception {
        ThrowsOnce fetch = new ThrowsOnce();
        open(fetch, EngineObserver.NONE);
        // An appointment first heard of through an update: reminders only (24 h before the start).
        store(EngineFixtures.event(EventType.UPDATED, "ap_full", START, ANA));
        store(thin("ap_thin"));
        Await.until("the first fetch", () -> fetch.runs.get() == 1);
        Await.until("the first fetch settled", () -> engine.sendsInFlight() == 0);
        Instant reminderDue = START.toInstant().minus(Duration.ofHours(24));
        advanceTo(reminderDue.plusSeconds(60)); // both the reminder and the step's retry are due now
        Await.until("the reminder sent", () -> sms.received().size() == 1);
        Await.until("every slot given back", () -> engine.sendsInFlight() == 0);
    }

    /**
     * Each turn plans the stored events before it runs the commands: a query submitted after
     * an event was stored (while the engine was busy) sees that event's plan.
     */
    @Test
    void aQueryAfterAStoredEventSeesItsPlan() throws Exception {
        CountDownLatch inResults = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EngineObserver blockOnFirstSent = new EngineObserver() {
            @Override
            public void deliveryState(String appointmentId, DeliveryKind kind, DeliveryState state, Instant visitAt) {
                if (state == DeliveryState.SENT && inResults.getCount() > 0) {
                    inResults.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        open(null, blockOnFirstSent);
        // A booking: its confirmation goes out now; recording its result blocks the engine (results phase).
        store(EngineFixtures.event(EventType.CREATED, "ap_1", START, ANA));
        assertTrue(inResults.await(10, TimeUnit.SECONDS), "engine reached its results phase");
        // While the engine is busy after its commands: a second booking is stored, then the operator asks.
        store(EngineFixtures.event(EventType.CREATED, "ap_2", START, ANA));
        java.util.concurrent.CompletableFuture<List<DeliveryView>> pending = engine.inState(DeliveryState.PENDING, 100);
        release.countDown();
        List<DeliveryView> rows = pending.get(10, TimeUnit.SECONDS);
        assertTrue(rows.stream().anyMatch(row -> row.appointmentId().equals("ap_2")),
                "the pending list includes the reminder of the booking stored before the query: " + rows.size() + " rows");
    }

    /**
     * An attempt record written twice with the same number: the first commit timed out
     * ("may still be, later"), the engine recorded the attempt again, and both reached the
     * disk. Replay takes the second as it comes, with no illegal state change.
     */
    @Test
    void aRepeatedAttemptRecordReplaysWithoutAnIllegalTransition() throws Exception {
        RecordCodec codec = RecordCodec.plain();
        Journal writing = Journal.open(dataDir, Journal.Options.defaults(), record -> { }, log.log());
        String id = "ap_1|reminder_sms|1796157000|24h";
        Instant first = BOOKED_AT.plusSeconds(60);
        Instant second = first.plusSeconds(15);
        OutgoingMessage text = new OutgoingMessage(id, 1, Channel.SMS, EngineFixtures.PHONE, null, "See you tomorrow");
        for (clinicrelay.journal.JournalRecord record : List.of(
                DeliveryRecords.planned(new clinicrelay.planning.PlannedDelivery(id, "ap_1", DeliveryKind.REMINDER_SMS, first,
                        START.toInstant(), START.toEpochSecond()), "zocdoc:e1"),
                DeliveryRecords.attempt(text, START.toInstant(), first, "sms", false),
                DeliveryRecords.attempt(text, START.toInstant(), second, "sms", false),
                DeliveryRecords.result(id, 1, Outcome.sent("SM1")))) {
            writing.append(codec.encodeFrame(record)).get(10, TimeUnit.SECONDS);
        }
        writing.close();
        DeliveryReplay replay = new DeliveryReplay(codec, EngineObserver.NONE, log.log());
        journal = Journal.open(dataDir, Journal.Options.defaults(), replay, log.log());
        assertEquals(DeliveryState.SENT, replay.book.get(id).state());
        assertEquals(0, replay.book.illegalTransitions(), "log:\n" + log.text());
    }

    /**
     * A result record written twice, with a delivered status between them: the repeat
     * changes nothing (it must not take a delivered message back to sent).
     */
    @Test
    void aRepeatedResultAfterADeliveredStatusChangesNothing() throws Exception {
        RecordCodec codec = RecordCodec.plain();
        Journal writing = Journal.open(dataDir, Journal.Options.defaults(), record -> { }, log.log());
        String id = "ap_1|reminder_sms|1796157000|24h";
        Instant due = BOOKED_AT.plusSeconds(60);
        OutgoingMessage text = new OutgoingMessage(id, 1, Channel.SMS, EngineFixtures.PHONE, null, "See you tomorrow");
        for (clinicrelay.journal.JournalRecord record : List.of(
                DeliveryRecords.planned(new clinicrelay.planning.PlannedDelivery(id, "ap_1", DeliveryKind.REMINDER_SMS, due,
                        START.toInstant(), START.toEpochSecond()), "zocdoc:e1"),
                DeliveryRecords.attempt(text, START.toInstant(), due, "sms", false),
                DeliveryRecords.result(id, 1, Outcome.sent("SM1")),
                DeliveryRecords.status(id, DeliveryState.DELIVERED, null),
                DeliveryRecords.result(id, 1, Outcome.sent("SM1")))) {
            writing.append(codec.encodeFrame(record)).get(10, TimeUnit.SECONDS);
        }
        writing.close();
        DeliveryReplay replay = new DeliveryReplay(codec, EngineObserver.NONE, log.log());
        journal = Journal.open(dataDir, Journal.Options.defaults(), replay, log.log());
        assertEquals(DeliveryState.DELIVERED, replay.book.get(id).state());
        assertEquals(0, replay.book.illegalTransitions(), "log:\n" + log.text());
        assertEquals(List.of(), replay.book.invariantViolations());
    }
}
