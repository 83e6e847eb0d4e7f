package clinicrelay.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The event keys stored within the duplicate window, rebuilt from the journal at start-up.
 *
 * <p>It holds the first 64 bits of each key's SHA-256 and the minute it was received, in
 * an open-addressing table of primitives: 12 bytes a slot, at most 3/4 and after a rebuild
 * at most 1/2 of the slots full, so 16–48 bytes per event against ~100 for a HashSet of
 * Strings. A new event is mistaken for a stored one only if its 64 bits equal one of the
 * window's: with 400 000 keys in the window, a chance of 2·10^-14 per event, 4·10^-8 over
 * five years of a large practice's traffic — far below the disk's own error rate. Nobody
 * can aim for it either: to shadow a real event one would have to find a key matching
 * its id before it exists (2^64 work), and whoever can post signed events at all holds
 * the webhook secret anyway.
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
    /** The digest of an empty slot; a key that hashes to it is stored as {@link #ZERO_STANDIN}. */
    private static final long EMPTY = 0;
    private static final long ZERO_STANDIN = 1;

    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(SeenEvents::newDigest);
    private final long windowMinutes;
    private long[] digests = new long[INITIAL_SLOTS];
    /** The minute (since the epoch) slot i's key was received. */
    private int[] minutes = newMinutes(INITIAL_SLOTS);
    private int size;
    /** The newest receipt minute added: the window ends here. */
    private int newestMinute = EMPTY_MINUTE;

    SeenEvents(Duration window) {
        this.windowMinutes = window.toMinutes();
    }

    /** The first 64 bits of a key's SHA-256; computed once per request and reused. */
    record Digest(long bits) {
    }

    synchronized boolean contains(Digest digest) {
        return digests[slotOf(digest.bits())] != EMPTY;
    }

    /** @return true when the key was not yet present */
    synchronized boolean add(Digest digest, Instant receivedAt) {
        int minute = minuteOf(receivedAt);
        newestMinute = Math.max(newestMinute, minute);
        int slot = slotOf(digest.bits());
        if (digests[slot] != EMPTY) {
            return false;
        }
        digests[slot] = digest.bits();
        minutes[slot] = minute;
        if (++size > digests.length / 4 * 3) {
            rebuild();
        }
        return true;
    }

    synchronized int size() {
        return size;
    }

    /** The keys and their minutes, for a checkpoint (12 bytes a key). */
    synchronized void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(newestMinute);
        out.writeInt(size);
        for (int slot = 0; slot < digests.length; slot++) {
            if (digests[slot] != EMPTY) {
                out.writeLong(digests[slot]);
                out.writeInt(minutes[slot]);
            }
        }
    }

    /** Adds the keys a checkpoint holds (to an empty set). */
    synchronized void readFrom(DataInputStream in) throws IOException {
        int newest = in.readInt();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            long bits = in.readLong();
            int minute = in.readInt();
            if (bits == EMPTY) {
                throw new IOException("an empty digest");
            }
            add(new Digest(bits), Instant.ofEpochSecond(minute * 60L));
        }
        newestMinute = Math.max(newestMinute, newest);
    }

    /** The slot holding this digest, or the empty slot where it belongs (linear probing). */
    private int slotOf(long bits) {
        int mask = digests.length - 1;
        int slot = (int) (bits ^ (bits >>> 32)) & mask;
        while (digests[slot] != EMPTY && digests[slot] != bits) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Drops keys that left the window and sizes the table for the ones kept. */
    private void rebuild() {
        long[] oldDigests = digests;
        int[] oldMinutes = minutes;
        long oldestKept = (long) newestMinute - windowMinutes;
        int kept = 0;
        for (int i = 0; i < oldDigests.length; i++) {
            if (oldDigests[i] != EMPTY && oldMinutes[i] >= oldestKept) {
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
        digests = new long[newSlots];
        minutes = newMinutes(newSlots);
        size = 0;
        for (int i = 0; i < oldDigests.length; i++) {
            if (oldDigests[i] != EMPTY && oldMinutes[i] >= oldestKept) {
                int slot = slotOf(oldDigests[i]);
                digests[slot] = oldDigests[i];
                minutes[slot] = oldMinutes[i];
                size++;
            }
        }
    }

    private static int[] newMinutes(int slots) {
        int[] fresh = new int[slots];
        Arrays.fill(fresh, EMPTY_MINUTE);
        return fresh;
    }

    private static int minuteOf(Instant at) {
        return (int) Math.floorDiv(at.getEpochSecond(), 60);
    }

    Digest digest(String key) {
        byte[] hash = sha256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (hash[i] & 0xFF);
        }
        return new Digest(bits == EMPTY ? ZERO_STANDIN : bits);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
        }
    }
}
