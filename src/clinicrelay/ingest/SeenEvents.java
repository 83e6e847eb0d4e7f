package clinicrelay.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The set of event keys already stored, rebuilt from the journal at start-up.
 *
 * <p>It holds the first 128 bits of each key's SHA-256 in an open-addressing table of
 * longs: 16 bytes per event at most twice over (load ≤ 1/2), against ~100 for a
 * HashSet of Strings, so a million events cost ~32 MB, not ~100 MB. Two different keys
 * would have to collide in 128 bits of SHA-256 to be mistaken for each other, which does
 * not happen by chance (probability ~10^-26 at a million events) nor by design, since
 * finding such a pair is infeasible.
 */
final class SeenEvents {
    private static final int INITIAL_SLOTS = 1 << 12;

    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(SeenEvents::newDigest);
    /** Slot i holds a digest in table[2i] (high) and table[2i+1] (low); 0,0 means empty. */
    private long[] table = new long[2 * INITIAL_SLOTS];
    private int size;

    /** The first 128 bits of a key's SHA-256; computed once per request and reused. */
    record Digest(long high, long low) {
    }

    synchronized boolean contains(Digest digest) {
        int slot = slotOf(digest.high(), digest.low());
        return table[2 * slot] != 0 || table[2 * slot + 1] != 0;
    }

    /** @return true when the key was not yet present */
    synchronized boolean add(Digest digest) {
        int slot = slotOf(digest.high(), digest.low());
        if (table[2 * slot] != 0 || table[2 * slot + 1] != 0) {
            return false;
        }
        table[2 * slot] = digest.high();
        table[2 * slot + 1] = digest.low();
        if (++size * 2 > table.length / 2) {
            grow();
        }
        return true;
    }

    synchronized int size() {
        return size;
    }

    /** The slot holding this digest, or the empty slot where it belongs (linear probing). */
    private int slotOf(long high, long low) {
        int mask = table.length / 2 - 1;
        int slot = (int) low & mask;
        while (true) {
            long h = table[2 * slot];
            long l = table[2 * slot + 1];
            if ((h == 0 && l == 0) || (h == high && l == low)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                int slot = slotOf(old[i], old[i + 1]);
                table[2 * slot] = old[i];
                table[2 * slot + 1] = old[i + 1];
            }
        }
    }

    Digest digest(String key) {
        byte[] hash = sha256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (hash[i] & 0xFF);
            low = (low << 8) | (hash[8 + i] & 0xFF);
        }
        if (high == 0 && low == 0) {
            low = 1; // keep 0,0 as the empty marker
        }
        return new Digest(high, low);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
        }
    }
}
