package clinicrelay.app;

import clinicrelay.analytics.PracticeStats;
import clinicrelay.delivery.DeliveryReplay;
import clinicrelay.delivery.EngineObservers;
import clinicrelay.forward.ForwardLedger;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.StoredRecord;
import clinicrelay.log.Log;
import clinicrelay.metrics.RelayMetrics;
import clinicrelay.zocdoc.ZocdocSweep;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * Everything the relay derives from its journal: the keys of stored events, appointments
 * and deliveries, the practice's figures, the sweep's mark, the forwarding targets' cursors,
 * and the counters they feed.
 * Built empty, then filled by a checkpoint and/or a replay; each record visits all of them.
 */
final class ReplayedState implements Journal.ReplayVisitor {
    /** What a fresh, empty state is made of. */
    /** @param forwardTargets the ids of the forwarding targets configured now (the ledger keeps only theirs) */
    record Settings(Duration dedupeWindow, ZoneId statsZone, Clock clock, RecordCodec codec, Log log,
                    List<String> forwardTargets) {
    }

    final EventIngest.Replay ingest;
    final DeliveryReplay deliveries;
    final PracticeStats stats;
    final ZocdocSweep.Replay sweepMark;
    final RelayMetrics metrics;
    final ForwardLedger forwards;
    private final RecordCodec codec;

    ReplayedState(Settings settings) {
        this.codec = settings.codec();
        this.ingest = new EventIngest.Replay(settings.dedupeWindow());
        this.stats = new PracticeStats(settings.statsZone(), settings.clock());
        this.metrics = new RelayMetrics();
        this.deliveries = new DeliveryReplay(codec, new EngineObservers(stats, metrics), settings.log());
        this.sweepMark = new ZocdocSweep.Replay();
        this.forwards = new ForwardLedger(settings.forwardTargets());
    }

    @Override
    public void visit(StoredRecord record) throws JournalCorruptException {
        String problem = codec.keyProblem(record);
        if (problem != null) {
            throw new KeyMismatch(record, problem);
        }
        ingest.visit(record);
        deliveries.visit(record);
        sweepMark.visit(record);
        forwards.visit(record);
    }

    /** A sealed record the configured key cannot open; reported as a start-up refusal, not corruption. */
    static final class KeyMismatch extends RuntimeException {
        KeyMismatch(StoredRecord record, String problem) {
            super(problem + " (first such record: " + record.segment() + " at offset " + record.offset() + ")",
                    null, false, false);
        }
    }
}
