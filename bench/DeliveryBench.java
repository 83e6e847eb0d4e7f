package clinicrelay.delivery;

import clinicrelay.config.QuietHours;
import clinicrelay.config.SmsConsent;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.ingest.EventIngest;
import clinicrelay.ingest.EventRecords;
import clinicrelay.journal.DataKeys;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.PhiCipher;
import clinicrelay.journal.RecordCodec;
import clinicrelay.log.Log;
import clinicrelay.planning.Channel;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.PlannedDelivery;
import clinicrelay.planning.Planner;
import clinicrelay.template.Templates;
import clinicrelay.twilio.TwilioSms;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery engine's figures for `make bench`: start-up replay time of
 * a 100 000-record journal, memory per pending delivery, and sends per second through the
 * production Twilio client to a local fake Twilio. Run with the production JVM flags.
 *
 * usage: java -cp build/clinic-relay.jar:build/bench clinicrelay.delivery.DeliveryBench WORKDIR
 */
public final class DeliveryBench {
    static final int APPOINTMENTS = 20_000;
    static final int SENDS = 2_000;
    static final Planner.Settings PLANNING = new Planner.Settings(List.of(), QuietHours.OFF, SmsConsent.REQUIRED, null);

    private DeliveryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        Log quiet = new Log(new ByteArrayOutputStream(), Clock.systemUTC());
        Path journalDir = work.resolve("replay");
        SecureRandom random = new SecureRandom();
        java.nio.file.Files.createDirectories(journalDir);
        RecordCodec codec = new RecordCodec(DataKeys.open(journalDir, PhiCipher.fromBase64(key, random), null, random,
                Clock.systemUTC(), quiet, true), Clock.systemUTC());
        long records = writeJournal(journalDir, codec, quiet);

        System.gc();
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        EventIngest.Replay seen = new EventIngest.Replay(java.time.Duration.ofDays(30));
        DeliveryReplay replay = new DeliveryReplay(codec, EngineObserver.NONE, quiet);
        Journal journal = Journal.open(journalDir, Journal.Options.defaults(), record -> {
            seen.visit(record);
            replay.visit(record);
        }, quiet);
        long replayMillis = (System.nanoTime() - started) / 1_000_000;
        journal.close();
        System.gc();
        long heapAfter = usedHeap();
        int pending = replay.book.countByState().getOrDefault(DeliveryState.PENDING, 0);
        System.out.printf(Locale.ROOT, "DELIVERY replay_records=%d replay_ms=%d pending=%d state_bytes_per_pending=%d%n",
                records, replayMillis, pending, (heapAfter - heapBefore) / Math.max(1, pending));
        keepAlive(replay, seen);

        System.out.printf(Locale.ROOT, "DELIVERY sends=%d sends_per_second=%.0f%n", SENDS, sendsPerSecond(work.resolve("sends"), codec, quiet));
        System.exit(0); // the fake's and the engine's pools would keep the JVM up
    }

    /** 20 000 appointments, each: its event, 4 planned deliveries (a confirmation sent, 3 reminders pending). */
    private static long writeJournal(Path dataDir, RecordCodec codec, Log log) throws Exception {
        long count = 0;
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(20).withSecond(0).withNano(0);
        Instant now = Instant.now();
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), record -> { }, log)) {
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int i = 0; i < APPOINTMENTS; i++) {
                AppointmentEvent event = event(i, start);
                List<JournalRecord> batch = new ArrayList<>();
                batch.add(EventRecords.toRecord(event, body(i).getBytes(StandardCharsets.UTF_8), "zocdoc-v1", now));
                // Ids as the planner makes them: <appointment>|<kind>|<start>|<label>.
                String confirmation = appointmentId(i) + "|confirmation_sms|" + start.toEpochSecond() + "|" + tag(event);
                batch.add(DeliveryRecords.planned(new PlannedDelivery(confirmation, appointmentId(i), DeliveryKind.CONFIRMATION_SMS,
                        now, start.toInstant(), start.toEpochSecond()), event.journalKey()));
                for (String offset : new String[] {"72h", "24h", "2h"}) {
                    Duration before = Duration.ofHours(Long.parseLong(offset.replace("h", "")));
                    batch.add(DeliveryRecords.planned(new PlannedDelivery(appointmentId(i) + "|reminder_sms|" + start.toEpochSecond() + "|" + offset,
                            appointmentId(i), DeliveryKind.REMINDER_SMS, start.toInstant().minus(before), start.toInstant(),
                            start.toEpochSecond()), event.journalKey()));
                }
                batch.add(DeliveryRecords.eventPlanned(event.journalKey()));
                batch.add(DeliveryRecords.result(confirmation, 1, Outcome.sent("SM" + i)));
                for (JournalRecord record : batch) {
                    writes.add(journal.append(codec.encodeFrame(record)));
                    count++;
                }
                if (writes.size() > 4000) {
                    for (CompletableFuture<Long> write : writes) {
                        write.get();
                    }
                    writes.clear();
                }
            }
            for (CompletableFuture<Long> write : writes) {
                write.get();
            }
        }
        return count;
    }

    /** Zocdoc's appointment ids are lowercase UUIDs (the tables pack them into two numbers). */
    private static String appointmentId(int i) {
        return java.util.UUID.nameUUIDFromBytes(("appt-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A notice's label: "e" and the hex of its event key's hash, as the planner writes it. */
    private static String tag(AppointmentEvent event) {
        return "e" + Integer.toHexString(event.journalKey().hashCode());
    }

    private static AppointmentEvent event(int i, OffsetDateTime start) {
        return AppointmentEvent.builder("zocdoc", EventShape.FULL, EventType.CREATED)
                .eventId("evt-" + i)
                .rawType("appointment.created")
                .appointmentId(appointmentId(i))
                .startTime(start)
                .provider("pr_" + (i % 20), "Dr. Provider " + (i % 20))
                .location("lo_1", "Main Street Clinic", "(617) 555-0100")
                .patient(new Patient("First" + i, "Last" + i, String.format(Locale.ROOT, "+1617%07d", i),
                        "p" + i + "@example.com", "1980-01-01", true, true))
                .build();
    }

    private static String body(int i) {
        return "{\"event_id\":\"evt-" + i + "\",\"event_type\":\"appointment.created\",\"appointment\":{\"id\":\"" + appointmentId(i)
                + "\",\"patient\":{\"first_name\":\"First" + i + "\",\"phone\":\"6175550100\"}}}";
    }

    /**
     * Sends per second: SENDS confirmations already planned and due (written to the journal
     * first), then the engine started on that journal sends them all through TwilioSms to
     * a local fake that answers 201 at once. Timed from engine start to the last result recorded.
     */
    private static double sendsPerSecond(Path dataDir, RecordCodec codec, Log log) throws Exception {
        // Like Twilio's servers, the fake must not delay its answers (Nagle + delayed ACK: ~40 ms each).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        AtomicInteger sids = new AtomicInteger();
        fake.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = ("{\"sid\":\"SM" + sids.incrementAndGet() + "\",\"status\":\"queued\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        fake.setExecutor(Executors.newFixedThreadPool(8));
        fake.start();
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withSecond(0).withNano(0);
        Instant now = Instant.now();
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), record -> { }, log)) {
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int i = 0; i < SENDS; i++) {
                AppointmentEvent event = event(i, start);
                String id = appointmentId(i) + "|confirmation_sms|" + start.toEpochSecond() + "|" + tag(event);
                for (JournalRecord record : List.of(
                        EventRecords.toRecord(event, body(i).getBytes(StandardCharsets.UTF_8), "zocdoc-v1", now),
                        DeliveryRecords.planned(new PlannedDelivery(id, appointmentId(i), DeliveryKind.CONFIRMATION_SMS, now,
                                start.toInstant(), start.toEpochSecond()), event.journalKey()),
                        DeliveryRecords.eventPlanned(event.journalKey()))) {
                    writes.add(journal.append(codec.encodeFrame(record)));
                }
            }
            for (CompletableFuture<Long> write : writes) {
                write.get();
            }
        }
        DeliveryReplay replay = new DeliveryReplay(codec, EngineObserver.NONE, log);
        try (Journal journal = Journal.open(dataDir, Journal.Options.defaults(), replay::visit, log)) {
            TwilioSms twilio = new TwilioSms(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                    URI.create("http://127.0.0.1:" + fake.getAddress().getPort()), "AC1", "token", "+15005550006", null, null);
            Map<Channel, MessageChannel> channels = new EnumMap<>(Channel.class);
            channels.put(Channel.SMS, twilio);
            channels.put(Channel.EMAIL, twilio);
            DeliveryEngine engine = new DeliveryEngine(journal, codec, replay, new EngineInbox(), new clinicrelay.delivery.EngineSettings(
                    PLANNING, Templates.load(null), "Bench Clinic", channels, null, Clock.systemUTC(), new Random(1)), log);
            long began = System.nanoTime();
            engine.start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (engine.counts().getOrDefault(DeliveryState.SENT, 0) < SENDS) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all sent in 2 minutes: " + engine.counts());
                }
                Thread.sleep(1);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            engine.close();
            return SENDS / seconds;
        } finally {
            fake.stop(0);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Keeps the replayed state reachable until after the heap was measured. */
    private static void keepAlive(Object... state) {
        if (state.length == 0) {
            throw new IllegalStateException();
        }
    }
}
