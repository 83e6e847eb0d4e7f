package clinicrelay.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * Entries a commit stopped waiting for (too slow, or refused because one before them
     * failed) that may still reach the disk: their effects were not applied, so until
     * restart the state is not exactly the fold of the journal. Whoever snapshots the state
     * (a checkpoint) asks {@link #quiet} first.
     */
    public static final class Stragglers {
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile boolean landedUnapplied;

        void track(CompletableFuture<Void> durable) {
            waiting.incrementAndGet();
            durable.whenComplete((stored, failure) -> {
                if (failure == null) {
                    landedUnapplied = true;
                }
                waiting.decrementAndGet();
            });
        }

        /** True when no entry is outstanding and none reached the disk without its effect. */
        public boolean quiet() {
            return waiting.get() == 0 && !landedUnapplied;
        }
    }

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
    private final Stragglers stragglers;
    private final List<Entry> entries = new ArrayList<>();

    /** @param waitMillisMax longest {@link #commit} waits for the whole batch */
    public DurableBatch(Journal journal, RecordCodec codec, long waitMillisMax) {
        this(journal, codec, waitMillisMax, outcome -> { });
    }

    /** @param whenNotStored told once per commit that finds an entry not on disk, and how (a log line, say) */
    public DurableBatch(Journal journal, RecordCodec codec, long waitMillisMax, Consumer<Outcome> whenNotStored) {
        this(journal, codec, waitMillisMax, whenNotStored, new Stragglers());
    }

    /** @param stragglers told of every entry given up on that may still be written */
    public DurableBatch(Journal journal, RecordCodec codec, long waitMillisMax, Consumer<Outcome> whenNotStored,
                        Stragglers stragglers) {
        this.journal = journal;
        this.codec = codec;
        this.waitMillisMax = waitMillisMax;
        this.whenNotStored = whenNotStored;
        this.stragglers = stragglers;
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
        if (records.isEmpty()) {
            throw new IllegalArgumentException("an entry of no records");
        }
        List<byte[]> frames = new ArrayList<>(records.size());
        for (JournalRecord record : records) {
            frames.add(codec.encodeFrame(record));
        }
        List<CompletableFuture<Long>> writes = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size() - 1; i++) {
            writes.add(journal.append(frames.get(i)));
        }
        // The last frame carries the in-order effect: the writer runs it as it settles that
        // frame, in journal order and before the settled position passes it (a callback
        // registered after the append could run later, on this thread, out of order). The
        // entry's earlier frames were queued first, so they are settled by then.
        List<CompletableFuture<Long>> earlier = List.copyOf(writes);
        writes.add(journal.append(frames.get(frames.size() - 1), (position, failure) -> {
            Throwable first = failure;
            for (CompletableFuture<Long> write : earlier) {
                if (first == null && write.isCompletedExceptionally()) {
                    first = write.handle((value, error) -> error).join();
                }
            }
            inOrder.settled(first != null ? JournalPosition.NONE : earlier.isEmpty() ? position : earlier.get(0).join(), first);
        }));
        CompletableFuture<Void> durable = CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]));
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
                if (outcome == Outcome.TIMED_OUT) {
                    stragglers.track(entry.durable());
                }
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
                if (!entry.durable().isCompletedExceptionally()) {
                    stragglers.track(entry.durable()); // it may be written, or already be
                }
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
