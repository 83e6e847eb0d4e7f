package clinicrelay.app;

import clinicrelay.journal.DataKeys;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.KeyPeriods;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Retention, at start and every {@link #INTERVAL}: destroys the data keys of weeks whose
 * visits ended more than PHI_RETENTION_DAYS ago (their patient data becomes unreadable in
 * the journal and in any copy of it), and deletes whole journal segments last written
 * more than JOURNAL_RETENTION_DAYS ago that no checkpoint and no live appointment or
 * delivery still reads.
 */
final class Retention implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofHours(1);
    /** Longest a stop waits for a pass in progress. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Path dataDir;
    private final DataKeys keys;
    private final Journal journal;
    private final Duration phiRetention;
    private final Duration journalRetention;
    private final Clock clock;
    private final Log log;
    private DaemonTimer timer;

    /** @param keys null when patient data is not encrypted (nothing to erase by key) */
    Retention(Path dataDir, DataKeys keys, Journal journal, Duration phiRetention, Duration journalRetention, Clock clock,
              Log log) {
        this.dataDir = dataDir;
        this.keys = keys;
        this.journal = journal;
        this.phiRetention = phiRetention;
        this.journalRetention = journalRetention;
        this.clock = clock;
        this.log = log;
    }

    void start() {
        timer = new DaemonTimer("retention", this::runLogged, Duration.ZERO, INTERVAL, STOP_WAIT);
    }

    private void runLogged() {
        try {
            run();
        } catch (IOException failed) {
            log.error("retention could not run; it tries again in an hour", Field.reason(failed.getClass().getSimpleName()));
        }
    }

    /** One pass (tests call it after moving their clock). */
    void run() throws IOException {
        Instant now = clock.instant();
        if (keys != null) {
            int lastExpired = KeyPeriods.lastWeekEndedBefore(now.minus(phiRetention));
            int erased = keys.eraseThrough(lastExpired);
            if (erased > 0) {
                log.info("patient data erased: data keys destroyed", Field.count("keys", erased),
                        Field.reason("visits through the " + KeyPeriods.label(lastExpired)));
            }
        }
        long needed = Checkpoints.oldestNeeded(dataDir);
        if (needed == JournalPosition.NONE) {
            return; // without a checkpoint, every record is needed to start
        }
        List<Path> deleted = journal.deleteOldSegments(JournalPosition.segmentSequence(needed), now.minus(journalRetention));
        for (Path segment : deleted) {
            log.info("journal segment deleted by retention", Field.file(segment));
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.close();
        }
    }
}
