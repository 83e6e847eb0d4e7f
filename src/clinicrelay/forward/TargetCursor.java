package clinicrelay.forward;

import clinicrelay.journal.Journal;
import clinicrelay.journal.RecordCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A target's cursor — the journal position of the next record it has not had — and when
 * it is journaled: at most every {@link #SAVE_EVERY_MILLIS} once events were passed
 * (accepted or given up), and on a clean stop. Moving over other records alone is never
 * worth a record, or the worker's own cursor records would keep an idle relay writing.
 * Used from the target's thread only.
 */
final class TargetCursor {
    /** How often the cursor is journaled while events flow; a crash resends at most this much (same webhook-id). */
    static final long SAVE_EVERY_MILLIS = 1_000;
    /** Longest a clean stop waits for the last cursor to reach the disk. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    private final String targetId;
    private final Journal journal;
    private final RecordCodec codec;
    private final ForwardLedger ledger;
    private long position;
    private long saved;
    private long savedNanos = System.nanoTime();
    private boolean progressed;

    TargetCursor(String targetId, Journal journal, RecordCodec codec, ForwardLedger ledger) {
        this.targetId = targetId;
        this.journal = journal;
        this.codec = codec;
        this.ledger = ledger;
        this.position = ledger.cursor(targetId);
        this.saved = position;
    }

    long position() {
        return position;
    }

    /** Past records that are not events: nothing to save for it. */
    void skippedTo(long next) {
        position = next;
    }

    /** Past events accepted or given up. */
    void passedTo(long next) {
        position = next;
        progressed = true;
    }

    /** Journals the cursor when it is due; {@code now} (a clean stop) saves any move and waits for it. */
    void save(boolean now) {
        if (position == saved || !(progressed || now)) {
            return;
        }
        if (!now && System.nanoTime() - savedNanos < TimeUnit.MILLISECONDS.toNanos(SAVE_EVERY_MILLIS)) {
            return;
        }
        ledger.moved(targetId, position);
        CompletableFuture<Long> written = journal.append(codec.encodeFrame(ForwardLedger.cursorRecord(targetId, position)));
        saved = position;
        savedNanos = System.nanoTime();
        progressed = false;
        if (now) {
            try {
                written.get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception notWritten) {
                // The next start resends from the older cursor, with the same webhook-ids.
            }
        }
    }
}
