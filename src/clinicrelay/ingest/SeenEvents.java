package clinicrelay.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;

/**
 * The event keys stored within the duplicate window, rebuilt from the journal at start-up.
 *
 * <p>It holds the first 128 bits of each key's SHA-256 and the minute it was received, in
 * an open-addressing table of primitives: 20 bytes a slot, at most 3/4 and after a
 * rebuild at most 1/2 of the slots full, so 27–40 bytes per event against ~100 for a
 * HashSet of Strings. Two different keys would have to collide
 * in 128 bits of SHA-256 to be mistaken for each other, which does not happen by chance
 * (probability ~10^-26 at a million events) nor by design, since finding such a pair is
 * infeasible.
 *
 * <p>Keys are remembered for {@code window} (DEDUPE_WINDOW) behind the newest receipt
 * seen, never by the wall clock: a replay forgets exactly what the live server forgot. A
 * redelivery older than the window (Zocdoc retries for 48 hours) would be stored again;
 * the planner then sees an event about a known appointment and plans nothing twice.
 * Expired keys leave when the table would otherwise grow, so memory follows the traffic
 * of one window, not all history.
 */
final class SeenEvents {
    private static final int INITIAL_SLOTS = 1 << 12;
    private static final int EMPTY_MINUTE = Integer.MIN_VALUE;

    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(SeenEvents::newDigest);
    private final long windowMinutes;
    /** Slot i holds a digest in table[2i] (high) and table[2i+1] (low); 0,0 means empty. */
    private long[] table = new long[2 * INITIAL_SLOTS];
    /** The minute (since the epoch) slot i's key was received. */
    private int[] minutes = newMinutes(INITIAL_SLOTS);
    private int size;
    /** The newest receipt minute added: the window ends here. */
    private int newestMinute = EMPTY_MINUTE;

    SeenEvents(Duration window) {
        this.windowMinutes = window.toMinutes();
    }

    /** The first 128 bits of a key's SHA-256; computed once per request and reused. */
    record Digest(long high, long low) {
    }

    synchronized boolean contains(Digest digest) {
        int slot = slotOf(digest.high(), digest.low());
        return table[2 * slot] != 0 || table[2 * slot + 1] != 0;
    }

    /** @return true when the key was not yet present */
    synchronized boolean add(Digest digest, Instant receivedAt) {
        int minute = minuteOf(receivedAt);
        newestMinute = Math.max(newestMinute, minute);
        int slot = slotOf(digest.high(), digest.low());
        if (table[2 * slot] != 0 || table[2 * slot + 1] != 0) {
            return false;
        }
        table[2 * slot] = digest.high();
        table[2 * slot + 1] = digest.low();
        minutes[slot] = minute;
        if (++size > slots() / 4 * 3) {
            rebuild();
        }
        return true;
    }

    synchronized int size() {
        return size;
    }

    /** The keys and their minutes, for a checkpoint (20 bytes a key). */
    synchronized void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(newestMinute);
        out.writeInt(size);
        for (int slot = 0; slot < slots(); slot++) {
            if (table[2 * slot] != 0 || table[2 * slot + 1] != 0) {
                out.writeLong(table[2 * slot]);
                out.writeLong(table[2 * slot + 1]);
                out.writeInt(minutes[slot]);
            }
        }
    }

    /** Adds the keys a checkpoint holds (to an empty set). */
    synchronized void readFrom(DataInputStream in) throws IOException {
        int newest = in.readInt();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            long high = in.readLong();
            long low = in.readLong();
            int minute = in.readInt();
            add(new Digest(high, low), Instant.ofEpochSecond(minute * 60L));
        }
        newestMinute = Math.max(newestMinute, newest);
    }

    private int slots() {
        return minutes.length;
    }

    /** The slot holding this digest, or the empty slot where it belongs (linear probing). */
    private int slotOf(long high, long low) {
        int mask = slots() - 1;
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

    /** Drops keys that left the window and sizes the table for the ones kept. */
    private void rebuild() {
        long[] oldTable = table;
        int[] oldMinutes = minutes;
        long oldestKept = (long) newestMinute - windowMinutes;
        int kept = 0;
        for (int i = 0; i < oldMinutes.length; i++) {
            if ((oldTable[2 * i] != 0 || oldTable[2 * i + 1] != 0) && oldMinutes[i] >= oldestKept) {
                kept++;
            }
        }
        // At most half full afterwards, so the next rebuild (at three quarters) is at least a
        // quarter of the table's adds away (amortised constant cost); a table that outgrew a
        // quiet window shrinks back.
        int newSlots = INITIAL_SLOTS;
        while ((long) kept * 2 > newSlots) {
            newSlots *= 2;
        }
        table = new long[2 * newSlots];
        minutes = newMinutes(newSlots);
        size = 0;
        for (int i = 0; i < oldMinutes.length; i++) {
            if ((oldTable[2 * i] != 0 || oldTable[2 * i + 1] != 0) && oldMinutes[i] >= oldestKept) {
                int slot = slotOf(oldTable[2 * i], oldTable[2 * i + 1]);
                table[2 * slot] = oldTable[2 * i];
                table[2 * slot + 1] = oldTable[2 * i + 1];
                minutes[slot] = oldMinutes[i];
                size++;
            }
        }
    }

    private static int[] newMinutes(int slots) {
        int[] fresh = new int[slots];
        java.util.Arrays.fill(fresh, EMPTY_MINUTE);
        return fresh;
    }

    private static int minuteOf(Instant at) {
        return (int) Math.floorDiv(at.getEpochSecond(), 60);
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
