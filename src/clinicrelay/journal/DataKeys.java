package clinicrelay.journal;

import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data keys that seal patient data, one per {@link KeyPeriods period}, each wrapped
 * (AES-256-GCM) by {@code PHI_ENCRYPTION_KEY} and kept in {@code DATA_DIR/keys/}: the
 * journal itself never holds a key. Destroying a period's key ({@link #eraseThrough})
 * makes that period's patient data unreadable wherever the journal is copied; rotating
 * {@code PHI_ENCRYPTION_KEY} re-wraps these few keys and rewrites nothing else.
 *
 * <p>The key file, in two copies ({@code data-keys} and {@code data-keys.mirror}, the
 * newest valid generation wins and the other is brought up to it):
 *
 * <pre>
 *   magic "CRKEYS01" | generation (u64) | count (u32) | entries | CRC-32C of all before (u32)
 *   entry := period (i32) | 1 (alive) wrapped length (u16) wrapped key | 2 (erased) erased at (i64 epoch seconds)
 * </pre>
 *
 * A new key is on disk (both copies forced) before anything is sealed with it.
 * Thread-safe.
 */
public final class DataKeys {
    public static final String DIRECTORY_NAME = "keys";
    public static final String FILE_NAME = "data-keys";
    public static final String MIRROR_NAME = "data-keys.mirror";
    /** Entries a key file may hold: twenty years of weeks, erased ones included. */
    static final int ENTRIES_MAX = 20 * 53 + 1;
    private static final int KEY_BYTES = PhiCipher.KEY_BYTES;

    /** What is known of a period's key. */
    public enum State { ALIVE, ERASED, UNKNOWN }

    /** A period's key entry: its cipher when alive, else when it was erased. */
    private record Entry(PhiCipher cipher, long erasedAtSecond) {
    }

    private final Path dir;
    private final PhiCipher master;
    private final PhiCipher previous;
    private final SecureRandom random;
    private final Clock clock;
    private final TreeMap<Integer, Entry> entries;
    private long generation;
    private final boolean writable;

    private DataKeys(Path dir, PhiCipher master, PhiCipher previous, SecureRandom random, Clock clock,
                     TreeMap<Integer, Entry> entries, long generation, boolean writable) {
        this.writable = writable;
        this.dir = dir;
        this.master = master;
        this.previous = previous;
        this.random = random;
        this.clock = clock;
        this.entries = entries;
        this.generation = generation;
    }

    public static Path directoryIn(Path dataDir) {
        return dataDir.resolve(DIRECTORY_NAME);
    }

    /**
     * Reads the key file (none yet: no keys), unwrapping every alive key. When the keys were
     * wrapped by {@code previous} (a rotation), they are re-wrapped by {@code master} and
     * written back before this returns.
     *
     * @param previous the key before a rotation, or null
     * @param writable false for a reader beside a running server (journal dump, verify): nothing is written
     * @throws KeyFileException when neither key unwraps them, or neither copy of the file is whole
     */
    public static DataKeys open(Path dataDir, PhiCipher master, PhiCipher previous, SecureRandom random, Clock clock, Log log,
                                boolean writable) throws IOException, KeyFileException {
        Path dir = writable ? PrivateFiles.directory(directoryIn(dataDir)) : directoryIn(dataDir);
        KeyFile.Read read = KeyFile.readNewest(dir.resolve(FILE_NAME), dir.resolve(MIRROR_NAME));
        TreeMap<Integer, Entry> entries = new TreeMap<>();
        boolean rewrapped = false;
        for (KeyFile.Stored stored : read.entries()) {
            if (stored.wrapped() == null) {
                entries.put(stored.period(), new Entry(null, stored.erasedAtSecond()));
                continue;
            }
            PhiCipher wrapper = master;
            if (!master.keyMatches(stored.wrapped(), 0)) {
                if (previous == null || !previous.keyMatches(stored.wrapped(), 0)) {
                    throw new KeyFileException("PHI_ENCRYPTION_KEY is not the key that wrapped the data keys in "
                            + dir.resolve(FILE_NAME) + " (after changing it, set PHI_ENCRYPTION_KEY_PREVIOUS to the old key"
                            + " for one start: the data keys are then re-wrapped)");
                }
                wrapper = previous;
                rewrapped = true;
            }
            try {
                byte[] key = wrapper.open(stored.wrapped(), 0, stored.wrapped().length, wrapLabel(stored.period()));
                entries.put(stored.period(), new Entry(PhiCipher.fromBytes(key, random), 0));
            } catch (GeneralSecurityException damaged) {
                throw new KeyFileException("data key of " + KeyPeriods.label(stored.period()) + " in " + dir.resolve(FILE_NAME)
                        + " cannot be unwrapped (" + damaged.getMessage() + ")");
            }
        }
        DataKeys keys = new DataKeys(dir, master, previous, random, clock, entries, read.generation(), writable);
        if (writable && (rewrapped || read.staleCopy())) {
            keys.persist();
            if (rewrapped) {
                log.info("data keys re-wrapped under the new PHI_ENCRYPTION_KEY; PHI_ENCRYPTION_KEY_PREVIOUS may be removed"
                        + " unless the journal still holds records from before data keys (journal verify says so)",
                        Field.count("keys", keys.count(State.ALIVE)));
            }
        }
        return keys;
    }

    /** The key to seal {@code period}'s data with, made (and on disk) if new; an erased period's data goes to this week's. */
    synchronized Sealing forSealing(int period) throws IOException {
        Entry entry = entries.get(period);
        if (entry != null && entry.cipher() == null) {
            period = KeyPeriods.weekOf(clock.instant()); // about a week already erased: keep it no longer than now's
            entry = entries.get(period);
        }
        if (entry == null) {
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            entry = new Entry(PhiCipher.fromBytes(key, random), 0);
            entries.put(period, entry);
            try {
                persist();
            } catch (IOException | RuntimeException notStored) {
                entries.remove(period); // never seal with a key that is not on disk: the next try makes a new one
                throw notStored;
            }
        }
        return new Sealing(period, entry.cipher());
    }

    /** A period and the cipher of its key. */
    record Sealing(int period, PhiCipher cipher) {
    }

    /** The cipher of an alive period's key, or null. */
    synchronized PhiCipher cipher(int period) {
        Entry entry = entries.get(period);
        return entry == null ? null : entry.cipher();
    }

    public synchronized State state(int period) {
        Entry entry = entries.get(period);
        return entry == null ? State.UNKNOWN : entry.cipher() == null ? State.ERASED : State.ALIVE;
    }

    /**
     * Destroys the keys of every week up to and including {@code lastWeek} (never the
     * consent key): their patient data can no longer be read anywhere.
     *
     * @return how many keys were destroyed
     */
    public synchronized int eraseThrough(int lastWeek) throws IOException {
        TreeMap<Integer, Entry> before = new TreeMap<>(entries);
        int erased = 0;
        long now = clock.instant().getEpochSecond();
        for (Map.Entry<Integer, Entry> entry : entries.headMap(lastWeek, true).entrySet()) {
            if (entry.getKey() != KeyPeriods.CONSENT && entry.getValue().cipher() != null) {
                entry.setValue(new Entry(null, now));
                erased++;
            }
        }
        if (erased > 0) {
            try {
                persist();
            } catch (IOException | RuntimeException notStored) {
                entries.clear();
                entries.putAll(before); // the file still holds them: so does memory, until the next try
                throw notStored;
            }
        }
        return erased;
    }

    public synchronized int count(State state) {
        return (int) entries.values().stream().filter(e -> (e.cipher() != null) == (state == State.ALIVE)).count();
    }

    /** The oldest alive week's key, or {@link KeyPeriods#NONE}. */
    public synchronized int oldestAliveWeek() {
        return entries.entrySet().stream().filter(e -> e.getKey() != KeyPeriods.CONSENT && e.getValue().cipher() != null)
                .map(Map.Entry::getKey).findFirst().orElse(KeyPeriods.NONE);
    }

    /**
     * The key that sealed a record written before data keys existed (sealed under the
     * master key itself): the current one or, during a rotation, the previous; null if neither.
     */
    PhiCipher legacy(byte[] sealed, int offset) {
        if (master.keyMatches(sealed, offset)) {
            return master;
        }
        return previous != null && previous.keyMatches(sealed, offset) ? previous : null;
    }

    /** Writes both copies, each aside then renamed, with a new generation. */
    private void persist() throws IOException {
        if (!writable) {
            throw new IOException("the data keys are open for reading only");
        }
        if (entries.size() > ENTRIES_MAX) {
            throw new IOException("more than " + ENTRIES_MAX + " data keys");
        }
        generation++;
        List<KeyFile.Stored> stored = new ArrayList<>(entries.size());
        for (Map.Entry<Integer, Entry> entry : entries.entrySet()) {
            PhiCipher cipher = entry.getValue().cipher();
            stored.add(new KeyFile.Stored(entry.getKey(), cipher == null ? null
                    : master.seal(cipher.keyBytes(), wrapLabel(entry.getKey())), entry.getValue().erasedAtSecond()));
        }
        byte[] file = KeyFile.encode(generation, stored);
        PrivateFiles.writeAtomically(dir.resolve(FILE_NAME), file);
        PrivateFiles.writeAtomically(dir.resolve(MIRROR_NAME), file);
    }

    private static byte[] wrapLabel(int period) {
        return ByteBuffer.allocate(24 + Integer.BYTES).put("clinic-relay data key v1".getBytes(StandardCharsets.US_ASCII))
                .putInt(period).array();
    }

    /** The key file cannot be used: start-up stops with this message. */
    public static final class KeyFileException extends Exception {
        KeyFileException(String message) {
            super(message);
        }
    }
}
