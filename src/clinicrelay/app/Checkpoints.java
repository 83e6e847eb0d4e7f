package clinicrelay.app;

import clinicrelay.journal.CheckpointFile;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalPosition;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Start-up from a checkpoint: the newest image of the {@link ReplayedState}, then the
 * events it lists as stored and not yet folded in, then the journal after its position.
 * Anything that does not fit (no checkpoint, a damaged one, a position the journal does
 * not have) falls back to replaying the whole journal, which gives the same state, only
 * slower. The image layout after the file's header:
 *
 * <pre>
 *   format (u32) | pending events: count (u32), positions (u64 each) | event keys | appointments and
 *   deliveries | opted-out numbers (sealed) | practice figures (length u32, then them) | sweep mark
 *   (flag, seconds, nanos) | forwarding ledger (format 4 on; a format-3 image has none: targets then
 *   start at the journal's end)
 * </pre>
 */
final class Checkpoints {
    /** The image layout above; an image of another format is passed over (replayed instead). */
    static final int FORMAT = 4;
    /** The format before the forwarding ledger, still read: an upgrade must not lose a checkpoint it relies on. */
    static final int FORMAT_BEFORE_FORWARDING = 3;
    /** Pending events an image may list: the capacity guard keeps far fewer waiting. */
    static final int PENDING_MAX = 1_000_000;
    /** The dashboard's figures: a few hundred days of counters, far below this. */
    static final int FIGURES_BYTES_MAX = 64 * 1024 * 1024;

    /** A journal opened and replayed, the state it built, and where replay began. */
    record Opened(Journal journal, ReplayedState state, long replayedFrom) {
    }

    private record Image(long[] pending, ReplayedState state) {
    }

    private Checkpoints() {
    }

    /** Writes the image of {@code state} at {@code position} (on the engine thread, the state at rest). */
    static Path write(Path dataDir, long position, long[] pending, ReplayedState state, Instant sweepMark) throws IOException {
        // What a start from it reads: the events it lists (journal order), what the state reads back, the rest.
        long needsFrom = Math.min(pending.length == 0 ? position : Math.min(position, pending[0]),
                state.deliveries.oldestPositionInUse());
        long forwarding = state.forwards.oldestNeeded();
        if (forwarding != JournalPosition.NONE) {
            needsFrom = Math.min(needsFrom, forwarding); // retention keeps what a target has not had
        }
        return CheckpointFile.write(dataDir, position, needsFrom, out -> {
            out.writeInt(FORMAT);
            out.writeInt(pending.length);
            for (long event : pending) {
                out.writeLong(event);
            }
            state.ingest.writeState(out);
            state.deliveries.writeState(out);
            // Length first: figures counted in another time zone are skipped, not the whole image.
            java.io.ByteArrayOutputStream figures = new java.io.ByteArrayOutputStream();
            state.stats.writeTo(new DataOutputStream(figures));
            out.writeInt(figures.size());
            figures.writeTo(out);
            out.writeBoolean(sweepMark != null);
            if (sweepMark != null) {
                out.writeLong(sweepMark.getEpochSecond());
                out.writeInt(sweepMark.getNano());
            }
            state.forwards.writeState(out);
        });
    }

    /**
     * Opens the journal, from the newest usable checkpoint when there is one.
     *
     * @throws JournalCorruptException when the journal itself cannot be replayed
     */
    static Opened open(Path dataDir, Journal.Options options, ReplayedState.Settings settings, Log log)
            throws IOException, JournalCorruptException {
        CheckpointFile.Loaded<Image> loaded = CheckpointFile.readNewest(dataDir, in -> read(in, settings), log);
        if (loaded != null) {
            ReplayedState state = loaded.state().state();
            try {
                for (long event : loaded.state().pending()) {
                    state.visit(Journal.readAt(dataDir, event));
                }
                Journal journal = Journal.open(dataDir, options.withBatchListener(state.metrics), state, log, loaded.position());
                log.info("started from a checkpoint", Field.file(loaded.file()),
                        Field.count("records_after", journal.replayReport().records()));
                return new Opened(journal, state, loaded.position());
            } catch (IOException | JournalCorruptException doesNotFit) {
                log.error("checkpoint does not fit the journal; replaying the whole journal", Field.file(loaded.file()),
                        Field.reason(doesNotFit.getClass().getSimpleName()));
                CheckpointFile.setAside(loaded.file(), log);
            }
        }
        if (Journal.isCutByRetention(dataDir)) {
            // The oldest records (opt-outs among them) live on only in checkpoints: a replay of
            // what is left would serve with part of the state missing. Stop and say so.
            throw new JournalCorruptException(Journal.directoryIn(dataDir), 0, "journal retention deleted the oldest"
                    + " segments and no checkpoint can be used, so a replay would rebuild only part of the state"
                    + " (opt-outs included): restore DATA_DIR/checkpoint from a backup");
        }
        ReplayedState state = new ReplayedState(settings);
        return new Opened(Journal.open(dataDir, options.withBatchListener(state.metrics), state, log), state,
                JournalPosition.NONE);
    }

    /** The oldest journal position a checkpoint this version can start from needs (see {@link CheckpointFile#oldestNeeded}). */
    static long oldestNeeded(Path dataDir) throws IOException {
        return CheckpointFile.oldestNeeded(dataDir, in -> {
            int format = in.readInt();
            if (format != FORMAT && format != FORMAT_BEFORE_FORWARDING) {
                throw new IOException("image format " + format);
            }
            return null;
        });
    }

    private static Image read(DataInputStream in, ReplayedState.Settings settings) throws IOException {
        int format = in.readInt();
        if (format != FORMAT && format != FORMAT_BEFORE_FORWARDING) {
            throw new IOException("image format " + format + ", this version reads " + FORMAT);
        }
        int count = in.readInt();
        if (count < 0 || count > PENDING_MAX) {
            throw new IOException(count + " pending events");
        }
        long[] pending = new long[count];
        for (int i = 0; i < count; i++) {
            pending[i] = in.readLong();
        }
        ReplayedState state = new ReplayedState(settings);
        state.ingest.readState(in);
        state.deliveries.readState(in);
        int figuresLength = in.readInt();
        if (figuresLength < 0 || figuresLength > FIGURES_BYTES_MAX) {
            throw new IOException("figures of " + figuresLength + " bytes");
        }
        byte[] figures = in.readNBytes(figuresLength);
        if (!state.stats.readFrom(new DataInputStream(new java.io.ByteArrayInputStream(figures)))) {
            settings.log().warn("the clinic's time zone changed: the dashboard's figures start again from now");
        }
        if (in.readBoolean()) {
            state.sweepMark.restore(Instant.ofEpochSecond(in.readLong(), in.readInt()));
        }
        if (format == FORMAT) {
            state.forwards.readState(in);
        }
        return new Image(pending, state);
    }
}
