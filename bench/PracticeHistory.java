package clinicrelay.delivery;

import clinicrelay.config.QuietHours;
import clinicrelay.config.ReminderOffsets;
import clinicrelay.config.SmsConsent;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.DataKeys;
import clinicrelay.journal.Journal;
import clinicrelay.journal.PhiCipher;
import clinicrelay.journal.RecordCodec;
import clinicrelay.log.Log;
import clinicrelay.planning.Channel;
import clinicrelay.planning.PlannedDelivery;
import clinicrelay.planning.Planner;
import clinicrelay.template.Templates;
import clinicrelay.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the DATA_DIR of a large practice after years of real traffic, through the
 * production ingest and delivery engine (so the journal holds exactly what the relay would
 * have written: events with encrypted patient data, plans, attempts, results): a history
 * of events about appointments now past, spread over three years, then future
 * appointments booked over the last month. The mix is real life's: 80 % created, 12 %
 * updated (most of them moved), 8 % cancelled, 5 % exact redeliveries. The engine's clock
 * follows the events, and confirmations and reminders are sent as their time comes.
 *
 * usage: java -cp ... clinicrelay.delivery.PracticeHistory DATA_DIR PHI_KEY FUTURE HISTORY
 * prints: HISTORY events=N stored=N duplicates=N future_appointments=N records=N seconds=S
 */
public final class PracticeHistory {
    static final ZoneId CLINIC = ZoneId.of("America/New_York");
    static final Duration HISTORY_SPAN = Duration.ofDays(3 * 365);
    static final Duration BOOKING_SPAN = Duration.ofDays(30);
    /** How far ahead appointments are booked: 2 to 57 days. */
    static final int LEAD_DAYS_MIN = 2;
    static final int LEAD_DAYS_MAX = 57;
    static final int PROVIDERS = 20;
    /** How often (simulated time) the engine is let catch up with what fell due. */
    static final Duration SETTLE_EVERY = Duration.ofHours(6);

    /** Twilio and SendGrid as fast as can be: every message accepted at once. */
    static final class AcceptingChannel implements MessageChannel {
        private final String name;
        private final AtomicLong ids = new AtomicLong();

        AcceptingChannel(String name) {
            this.name = name;
        }

        @Override
        public AttemptResult send(OutgoingMessage message) {
            return new AttemptResult.Sent(name + ids.incrementAndGet());
        }

        @Override
        public String findSent(OutgoingMessage message, Instant attemptStarted, Set<String> claimed) {
            return null;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void planned(PlannedDelivery delivery) {
        }
    }

    private final Random random = new Random(20261130);
    private final List<String> recent = new ArrayList<>();
    private final Map<String, OffsetDateTime> starts = new java.util.HashMap<>();
    private final EventIngest ingest;
    private final DeliveryEngine engine;
    private final MutableClock clock;
    private long events;
    private long stored;
    private long duplicates;
    private long appointments;
    private Instant nextSettle;

    private PracticeHistory(EventIngest ingest, DeliveryEngine engine, MutableClock clock) {
        this.ingest = ingest;
        this.engine = engine;
        this.clock = clock;
        this.nextSettle = clock.instant().plus(SETTLE_EVERY);
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String phiKey = args[1];
        int future = Integer.parseInt(args[2]);
        int history = Integer.parseInt(args[3]);
        long began = System.nanoTime();
        Instant now = Instant.now();
        MutableClock clock = new MutableClock(now.minus(HISTORY_SPAN));
        Log quiet = new Log(new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                // the generator's log is not wanted
            }
        }, clock);
        SecureRandom random = new SecureRandom();
        // Patient data sealed under weekly data keys, as the relay seals it.
        RecordCodec codec = new RecordCodec(DataKeys.open(dataDir, PhiCipher.fromBase64(phiKey, random), null, random, clock,
                quiet, true), clock);
        EventIngest.Replay seen = new EventIngest.Replay(Duration.ofDays(30));
        DeliveryReplay replay = new DeliveryReplay(codec, EngineObserver.NONE, quiet);
        Journal journal = Journal.open(dataDir, Journal.Options.defaults(), record -> {
            seen.visit(record);
            replay.visit(record);
        }, quiet);
        EngineInbox inbox = new EngineInbox();
        EventIngest ingest = seen.attach(journal, codec, clock, inbox);
        Map<Channel, MessageChannel> channels = new EnumMap<>(Channel.class);
        channels.put(Channel.SMS, new AcceptingChannel("SM"));
        channels.put(Channel.EMAIL, new AcceptingChannel("sg-"));
        Planner.Settings planning = new Planner.Settings(ReminderOffsets.parse("24h"), QuietHours.parse("21:00-08:00"),
                SmsConsent.REQUIRED, CLINIC);
        DeliveryEngine engine = new DeliveryEngine(journal, codec, replay, inbox, new clinicrelay.delivery.EngineSettings(planning,
                Templates.load(null), "Bench Clinic", channels, null, clock, new Random(1)), quiet);
        engine.start();
        PracticeHistory practice = new PracticeHistory(ingest, engine, clock);
        Instant historyStart = now.minus(HISTORY_SPAN);
        Instant historyEnd = now.minus(BOOKING_SPAN).minus(Duration.ofDays(LEAD_DAYS_MAX + 1));
        practice.feed(history, historyStart, historyEnd, "h");
        long historyAppointments = practice.appointments;
        practice.recent.clear();
        practice.feed(futureEventsFor(future), now.minus(BOOKING_SPAN), now, "f");
        clock.set(now);
        engine.wake();
        engine.awaitSettled(600_000);
        engine.close();
        journal.close();
        System.out.printf(Locale.ROOT, "HISTORY events=%d stored=%d duplicates=%d history_appointments=%d"
                        + " future_appointments=%d seconds=%.0f%n", practice.events, practice.stored, practice.duplicates,
                historyAppointments, practice.appointments - historyAppointments, (System.nanoTime() - began) / 1e9);
        System.exit(0);
    }

    /** Events needed for this many new appointments in the mix (80 % of events create one, 5 % more are redeliveries). */
    private static int futureEventsFor(int appointments) {
        return (int) (appointments / 0.80 / 0.95);
    }

    /** {@code count} events spread evenly from {@code from} to {@code until}. */
    private void feed(int count, Instant from, Instant until, String prefix) throws Exception {
        long stepNanos = Duration.between(from, until).toNanos() / Math.max(1, count);
        AppointmentEvent last = null;
        for (int i = 0; i < count; i++) {
            Instant at = from.plusNanos(stepNanos * i);
            clock.set(at);
            if (!at.isBefore(nextSettle)) {
                engine.wake();
                engine.awaitSettled(600_000);
                nextSettle = at.plus(SETTLE_EVERY);
            }
            AppointmentEvent event = last != null && random.nextInt(100) < 5 ? last : next(prefix + i, at, prefix);
            store(event);
            last = event;
        }
    }

    private AppointmentEvent next(String eventId, Instant at, String prefix) {
        int roll = random.nextInt(100);
        if (roll < 80 || recent.isEmpty()) {
            // Zocdoc's appointment ids are lowercase UUIDs.
            String id = java.util.UUID.nameUUIDFromBytes((prefix + "-appt-" + (appointments++))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            OffsetDateTime start = startFor(at);
            starts.put(id, start);
            recent.add(id);
            if (recent.size() > 5_000) {
                starts.remove(recent.remove(0));
            }
            return event(eventId, EventType.CREATED, id, start, true);
        }
        String id = recent.get(random.nextInt(recent.size()));
        if (roll < 92) {
            OffsetDateTime moved = random.nextInt(4) == 0 ? starts.get(id) : startFor(at);
            starts.put(id, moved);
            return event(eventId, EventType.UPDATED, id, moved, false);
        }
        return event(eventId, EventType.CANCELLED, id, null, false);
    }

    /** A weekday-ish slot in business hours, 2 to 57 days after {@code at}. */
    private OffsetDateTime startFor(Instant at) {
        int days = LEAD_DAYS_MIN + random.nextInt(LEAD_DAYS_MAX - LEAD_DAYS_MIN + 1);
        int hour = 8 + random.nextInt(9);
        return at.atZone(CLINIC).plusDays(days).withHour(hour).withMinute(15 * random.nextInt(4)).withSecond(0).withNano(0)
                .toOffsetDateTime();
    }

    private AppointmentEvent event(String eventId, EventType type, String appointmentId, OffsetDateTime start,
                                   boolean withPatient) {
        int provider = Math.floorMod(appointmentId.hashCode(), PROVIDERS);
        AppointmentEvent.Builder builder = AppointmentEvent.builder("zocdoc", EventShape.FULL, type)
                .eventId(eventId)
                .rawType(type.wireName())
                .appointmentId(appointmentId)
                .startTime(start)
                .provider("pr_" + provider, "Dr. Provider " + provider)
                .location("lo_1", "Main Street Clinic", "(617) 555-0100");
        if (withPatient) {
            long n = Math.floorMod(appointmentId.hashCode(), 10_000_000L);
            builder.patient(new Patient("First" + n, "Last" + n, String.format(Locale.ROOT, "+1617%07d", n),
                    "p" + n + "@example.com", "1980-01-01", true, true));
        }
        return builder.build();
    }

    private void store(AppointmentEvent event) throws Exception {
        events++;
        byte[] body = ("{\"event_id\":\"" + event.eventId() + "\",\"bench\":true}").getBytes(StandardCharsets.UTF_8);
        if (ingest.ingest(event, body, "zocdoc-v1") == EventIngest.Outcome.ACCEPTED) {
            stored++;
        } else {
            duplicates++;
        }
    }
}
