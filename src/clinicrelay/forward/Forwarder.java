package clinicrelay.forward;

import clinicrelay.config.ForwardSettings;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.JournalTail;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.signature.StandardWebhooksSigner;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Feeds every stored event onward, to each target on its own thread ({@link TargetWorker})
 * from its own journaled cursor: webhook receivers signed the Standard Webhooks way, and a
 * Kafka REST proxy. A target added to the settings starts at the end of the journal (it
 * gets what is stored from then on); one that is removed is forgotten.
 */
public final class Forwarder implements AutoCloseable {
    /** Longest a stop waits for a worker that is mid-request. */
    static final long STOP_WAIT_MILLIS = 20_000;

    private final Map<String, TargetWorker> workers = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Journal journal;
    private final RecordCodec codec;
    private final ForwardLedger ledger;
    private final Log log;

    private Forwarder(Journal journal, RecordCodec codec, ForwardLedger ledger, Log log) {
        this.journal = journal;
        this.codec = codec;
        this.ledger = ledger;
        this.log = log;
    }

    /** The targets the settings name, webhook receivers first. */
    public static List<ForwardTarget> targets(ForwardSettings settings) {
        List<ForwardTarget> targets = new ArrayList<>();
        if (settings != null) {
            settings.webhookUrls().forEach(url -> targets.add(ForwardTarget.webhook(url)));
            if (settings.hasKafka()) {
                targets.add(ForwardTarget.kafka(settings.kafkaRestUrl(), settings.kafkaTopic()));
            }
        }
        return targets;
    }

    /** Starts a worker per target; call before events can arrive (the journal is replayed, nothing is served yet). */
    public static Forwarder start(ForwardSettings settings, Path dataDir, Journal journal, RecordCodec codec,
                                  ForwardLedger ledger, HttpClient http, Clock clock, String userAgent, Log log)
            throws IOException {
        Forwarder forwarder = new Forwarder(journal, codec, ledger, log);
        ForwardPayloads payloads = new ForwardPayloads(codec, settings.includePhi());
        StandardWebhooksSigner signer = settings.signingKeys().isEmpty() ? null
                : new StandardWebhooksSigner(settings.signingKeys());
        long end = journal.settledPosition();
        for (ForwardTarget target : targets(settings)) {
            if (ledger.cursor(target.id()) == JournalPosition.NONE) {
                ledger.moved(target.id(), end);
                journal.append(codec.encodeFrame(ForwardLedger.cursorRecord(target.id(), end)));
                log.info("forwarding target added: it gets the events stored from now on", Field.target(target.id()));
            }
            Sink sink = target.kind() == ForwardTarget.Kind.WEBHOOK ? new WebhookSink(http, target, signer, clock, userAgent)
                    : new KafkaRestSink(http, target, settings.kafkaUsername(), settings.kafkaPassword(), userAgent);
            long behind;
            try {
                behind = eventsBetween(dataDir, ledger.cursor(target.id()), end, log);
            } catch (JournalCorruptException unreadable) {
                throw new IOException("forwarding cannot read the journal: " + unreadable.getMessage(), unreadable);
            }
            forwarder.workers.put(target.id(), new TargetWorker(target, sink, journal, codec, payloads, ledger, clock, log,
                    dataDir, behind));
        }
        for (TargetWorker worker : forwarder.workers.values()) {
            Thread thread = new Thread(worker, "forward-" + worker.target().id());
            thread.setDaemon(true);
            forwarder.threads.add(thread);
            thread.start();
        }
        log.info("forwarding", Field.count("targets", forwarder.workers.size()),
                Field.reason(settings.includePhi() ? "patient fields included" : "no patient fields"));
        return forwarder;
    }

    /** Stored events from {@code from} to {@code to}: a target's backlog at start. */
    private static long eventsBetween(Path dataDir, long from, long to, Log log) throws IOException, JournalCorruptException {
        long events = 0;
        try (JournalTail tail = new JournalTail(dataDir, from, log)) {
            for (StoredRecord record = tail.next(to); record != null; record = tail.next(to)) {
                if (record.type() == RecordType.EVENT_RECEIVED) {
                    events++;
                }
            }
        }
        return events;
    }

    /** An event was stored (on the journal's writer thread, in journal order): every target has one more to send. */
    public void stored() {
        for (TargetWorker worker : workers.values()) {
            worker.stored();
        }
    }

    public List<ForwardStatus> statuses() {
        List<ForwardStatus> statuses = new ArrayList<>(workers.size());
        workers.values().forEach(worker -> statuses.add(worker.status()));
        return statuses;
    }

    /** Asks target {@code id} to send its dead events once more; false for an unknown target. */
    public boolean retryDead(String id) {
        TargetWorker worker = workers.get(id);
        if (worker == null) {
            return false;
        }
        worker.retryDead();
        return true;
    }

    /** Switches target {@code id} back on after a 410, and tries it now rather than after its backoff; false for an unknown target. */
    public boolean resume(String id) {
        TargetWorker worker = workers.get(id);
        if (worker == null) {
            return false;
        }
        if (ledger.isOff(id)) {
            ledger.switched(id, false);
            journal.append(codec.encodeFrame(ForwardLedger.switchedRecord(id, false, "resumed by the operator")));
            log.info("forwarding target resumed by the operator", Field.target(id));
        }
        worker.tryNow();
        return true;
    }

    /** Stops the workers, all within one {@link #STOP_WAIT_MILLIS}; each journals its cursor first. */
    @Override
    public void close() {
        workers.values().forEach(TargetWorker::close);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
