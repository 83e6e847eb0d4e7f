package clinicrelay.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * "Append, wait for the force, then act", for everything that writes to the journal: the
 * ingest, the delivery engine and the Zocdoc sweep. Records are appended at once (the
 * writer's group commit forces records appended together with one fsync) and the batch
 * is waited for once; each entry's effect runs only after all of its records are on
 * disk, and its refusal handler otherwise. That is the one order in which state changes:
 * append → force → act.
 *
 * <p>Not thread-safe: a batch belongs to the thread that fills and commits it.
 */
public final class DurableBatch {
    /** How a wait for durable records ended. */
    public enum Outcome {
        /** Forced to disk. */
        STORED,
        /** The journal refused the records (full disk, I/O error, closed): they are not on disk. */
        REFUSED,
        /** Not forced before the deadline: they may still be, later. */
        TIMED_OUT
    }

    /**
     * Runs on the journal's writer thread the moment an entry's records are durable
     * ({@code failure} null) or refused, in journal order, before the batch's committer
     * sees the entry settled: for effects whose order must be the journal's. Must be quick
     * and must never block.
     */
    @FunctionalInterface
    public interface InJournalOrder {
        InJournalOrder NOTHING = (position, failure) -> { };

        /** @param position the entry's first record's position (see {@link Journal#read}), when durable */
        void settled(long position, Throwable failure);
    }

    /** Runs once an entry's records are on disk, with their positions in the order added. */
    @FunctionalInterface
    public interface OnDurable {
        void stored(long[] positions);
    }

    private static final Runnable NOTHING = () -> { };

    private record Entry(List<CompletableFuture<Long>> writes, CompletableFuture<Void> durable, OnDurable onDurable,
                         Runnable onRefused) {
        long[] positions() {
            long[] positions = new long[writes.size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = writes.get(i).join();
            }
            return positions;
        }
    }

    private final Journal journal;
    private final RecordCodec codec;
    private final long waitMillisMax;
    private final Consumer<Outcome> whenNotStored;
    private final List<Entry> entries = new ArrayList<>();

    /** @param waitMillisMax longest {@link #commit} waits for the whole batch */
    public DurableBatch(Journal journal, RecordCodec codec, long waitMillisMax) {
        this(journal, codec, waitMillisMax, outcome -> { });
    }

    /** @param whenNotStored told once per commit that finds an entry not on disk, and how (a log line, say) */
    public DurableBatch(Journal journal, RecordCodec codec, long waitMillisMax, Consumer<Outcome> whenNotStored) {
        this.journal = journal;
        this.codec = codec;
        this.waitMillisMax = waitMillisMax;
        this.whenNotStored = whenNotStored;
    }

    /** Appends the records now; at commit, {@code onDurable} runs if all are on disk, else {@code onRefused}. */
    public void add(List<JournalRecord> records, Runnable onDurable, Runnable onRefused) {
        add(records, InJournalOrder.NOTHING, positions -> onDurable.run(), onRefused);
    }

    /** Like {@link #add(List, Runnable, Runnable)}, telling {@code onDurable} where the records are. */
    public void add(List<JournalRecord> records, OnDurable onDurable, Runnable onRefused) {
        add(records, InJournalOrder.NOTHING, onDurable, onRefused);
    }

    /** Appends one record whose only effect is being on disk. */
    public void add(JournalRecord record) {
        add(List.of(record), NOTHING, NOTHING);
    }

    /** Appends records whose effects all run in journal order (see {@link InJournalOrder}). */
    public void add(List<JournalRecord> records, InJournalOrder inOrder) {
        add(records, inOrder, positions -> { }, NOTHING);
    }

    /**
     * Like {@link #add(List, Runnable, Runnable)}, with {@code inOrder} run on the writer
     * thread as soon as the records settle.
     *
     * @throws RuntimeException when a record cannot be encoded; nothing is appended then
     */
    public void add(List<JournalRecord> records, InJournalOrder inOrder, OnDurable onDurable, Runnable onRefused) {
        List<byte[]> frames = new ArrayList<>(records.size());
        for (JournalRecord record : records) {
            frames.add(codec.encodeFrame(record));
        }
        List<CompletableFuture<Long>> writes = new ArrayList<>(frames.size());
        for (byte[] frame : frames) {
            writes.add(journal.append(frame));
        }
        // Completed by the writer thread that settles the last of them, so in journal order.
        CompletableFuture<Void> durable = CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]))
                .whenComplete((stored, failure) -> inOrder.settled(failure == null ? writes.get(0).join() : -1, failure));
        entries.add(new Entry(writes, durable, onDurable, onRefused));
    }

    public int size() {
        return entries.size();
    }

    /**
     * Waits once for every entry, then runs each entry's effect or refusal, in the order
     * added, and empties the batch.
     *
     * @return {@link Outcome#STORED} when every entry is on disk, else the first other outcome
     */
    public Outcome commit() {
        long deadline = deadline();
        Outcome worst = Outcome.STORED;
        for (Entry entry : entries) {
            Outcome outcome = await(entry.durable(), deadline);
            if (outcome == Outcome.STORED) {
                entry.onDurable().stored(entry.positions());
            } else {
                entry.onRefused().run();
                worst = worst == Outcome.STORED ? outcome : worst;
            }
        }
        entries.clear();
        if (worst != Outcome.STORED) {
            whenNotStored.accept(worst);
        }
        return worst;
    }

    /**
     * Applies entries in order up to the first that is not on disk; that one and every
     * entry after it are refused (their effects depend on it), and empties the batch.
     *
     * @return how many entries, from the first, were applied
     */
    public int commitInOrder() {
        long deadline = deadline();
        int applied = 0;
        Outcome first = Outcome.STORED;
        for (Entry entry : entries) {
            if (first == Outcome.STORED) {
                first = await(entry.durable(), deadline);
            }
            if (first != Outcome.STORED) {
                entry.onRefused().run();
            } else {
                entry.onDurable().stored(entry.positions());
                applied++;
            }
        }
        if (first != Outcome.STORED) {
            whenNotStored.accept(first);
        }
        entries.clear();
        return applied;
    }

    private long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillisMax);
    }

    /** Waits for one write until {@code deadlineNanos} (a {@link System#nanoTime} value). */
    public static Outcome await(CompletableFuture<?> write, long deadlineNanos) {
        try {
            write.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return Outcome.STORED;
        } catch (ExecutionException refused) {
            return Outcome.REFUSED;
        } catch (TimeoutException slow) {
            return Outcome.TIMED_OUT;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Outcome.TIMED_OUT;
        }
    }
}
