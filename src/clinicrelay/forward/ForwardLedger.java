package clinicrelay.forward;

import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.JournalRecord;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonNumber;
import clinicrelay.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each forwarding target has had, rebuilt from the journal like all state: its
 * cursor (a journal position: everything before it was accepted or given up on), whether
 * it is switched off, and the events it gave up on, for the operator to retry. Only the
 * targets configured now are kept, so its size is bounded by the settings, whatever the
 * journal holds. Shared by replay, the live workers and checkpoints; every method locks.
 */
public final class ForwardLedger {
    /** Dead events listed per target; older ones stay in the journal but leave the list (and are counted). */
    public static final int DEAD_LISTED_MAX = 1000;
    /** Longest text kept from a journaled reason or key. */
    static final int TEXT_CHARS_MAX = 200;
    /** Targets an image may hold: far more than the settings allow, so only a damaged image has more. */
    static final int TARGETS_IN_IMAGE_MAX = 1024;

    /** An event a target gave up on. */
    public record Dead(long position, String eventKey, String appointmentId, String reason, Instant at) {
    }

    private static final class TargetState {
        long cursor = JournalPosition.NONE;
        boolean off;
        final LinkedHashMap<Long, Dead> dead = new LinkedHashMap<>();
        long deadDropped;
    }

    private final Map<String, TargetState> targets = new LinkedHashMap<>();

    public ForwardLedger(Collection<String> targetIds) {
        for (String id : targetIds) {
            targets.put(id, new TargetState());
        }
    }

    /** Replay: takes in the forwarding records of configured targets, passes over the rest. */
    public synchronized void visit(StoredRecord record) {
        RecordType type = record.type();
        if (type == null || type.code() < RecordType.FORWARD_CURSOR.code() || type.code() > RecordType.FORWARD_SWITCHED.code()) {
            return;
        }
        TargetState state = targets.get(record.key());
        if (state == null) {
            return;
        }
        try {
            JsonObject pub = record.publicPart();
            switch (type) {
                case FORWARD_CURSOR -> state.cursor = number(pub, "next");
                case FORWARD_DEAD -> addDead(state, new Dead(number(pub, "event"), pub.string("event_key"),
                        pub.string("appointment_id"), pub.string("reason"), Instant.parse(pub.string("at"))));
                case FORWARD_REDELIVERED -> state.dead.remove(number(pub, "event"));
                case FORWARD_SWITCHED -> state.off = Boolean.TRUE.equals(pub.bool("off"));
                default -> { }
            }
        } catch (JsonException | RuntimeException unreadable) {
            // A forwarding record this version cannot read costs at most a resend (same webhook-id).
        }
    }

    private static long number(JsonObject object, String name) {
        JsonNumber number = object.number(name);
        Long value = number == null ? null : number.toLongOrNull();
        if (value == null) {
            throw new IllegalArgumentException(name + " missing");
        }
        return value;
    }

    private static void addDead(TargetState state, Dead dead) {
        state.dead.put(dead.position(), dead);
        if (state.dead.size() > DEAD_LISTED_MAX) {
            Long oldest = state.dead.keySet().iterator().next();
            state.dead.remove(oldest);
            state.deadDropped++;
        }
    }

    /** The target's cursor, or {@link JournalPosition#NONE} for a target that never had one. */
    public synchronized long cursor(String id) {
        return targets.get(id).cursor;
    }

    synchronized void moved(String id, long next) {
        targets.get(id).cursor = next;
    }

    synchronized void dead(String id, Dead dead) {
        addDead(targets.get(id), dead);
    }

    synchronized void redelivered(String id, long position) {
        targets.get(id).dead.remove(position);
    }

    synchronized void switched(String id, boolean off) {
        targets.get(id).off = off;
    }

    public synchronized boolean isOff(String id) {
        return targets.get(id).off;
    }

    /** The target's dead events, oldest first. */
    public synchronized List<Dead> deadOf(String id) {
        return new ArrayList<>(targets.get(id).dead.values());
    }

    /** Dead events that left the list (still in the journal). */
    public synchronized long deadDropped(String id) {
        return targets.get(id).deadDropped;
    }

    /**
     * The oldest journal position a target that is on still needs (its cursor), or
     * {@link JournalPosition#NONE}: retention keeps the segments from it. A target switched
     * off holds nothing back; when resumed it goes on from the oldest segment left.
     */
    public synchronized long oldestNeeded() {
        long oldest = JournalPosition.NONE;
        for (TargetState state : targets.values()) {
            if (!state.off && state.cursor != JournalPosition.NONE && (oldest == JournalPosition.NONE || state.cursor < oldest)) {
                oldest = state.cursor;
            }
        }
        return oldest;
    }

    static JournalRecord cursorRecord(String id, long next) {
        return record(RecordType.FORWARD_CURSOR, id, new JsonBuilder().beginObject().member("next", next));
    }

    static JournalRecord deadRecord(String id, Dead dead) {
        return record(RecordType.FORWARD_DEAD, id, new JsonBuilder().beginObject().member("event", dead.position())
                .member("event_key", dead.eventKey()).member("appointment_id", dead.appointmentId())
                .member("reason", dead.reason()).member("at", dead.at().toString()));
    }

    static JournalRecord redeliveredRecord(String id, long position, String outcome) {
        return record(RecordType.FORWARD_REDELIVERED, id, new JsonBuilder().beginObject().member("event", position)
                .member("outcome", outcome));
    }

    static JournalRecord switchedRecord(String id, boolean off, String reason) {
        return record(RecordType.FORWARD_SWITCHED, id, new JsonBuilder().beginObject().member("off", off)
                .member("reason", reason));
    }

    private static JournalRecord record(RecordType type, String id, JsonBuilder publicPart) {
        return new JournalRecord(type, id, publicPart.endObject().toBytes(), null);
    }

    /** The ledger's image for a checkpoint. */
    public synchronized void writeState(DataOutputStream out) throws IOException {
        out.writeInt(targets.size());
        for (Map.Entry<String, TargetState> entry : targets.entrySet()) {
            TargetState state = entry.getValue();
            out.writeUTF(entry.getKey());
            out.writeLong(state.cursor);
            out.writeBoolean(state.off);
            out.writeLong(state.deadDropped);
            out.writeInt(state.dead.size());
            for (Dead dead : state.dead.values()) {
                out.writeLong(dead.position());
                out.writeUTF(text(dead.eventKey()));
                out.writeUTF(text(dead.appointmentId()));
                out.writeUTF(text(dead.reason()));
                out.writeLong(dead.at().toEpochMilli());
            }
        }
    }

    /** Reads an image written by {@link #writeState}; targets no longer configured are passed over. */
    public synchronized void readState(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > TARGETS_IN_IMAGE_MAX) {
            throw new IOException(count + " forwarding targets");
        }
        for (int i = 0; i < count; i++) {
            TargetState read = new TargetState();
            String id = in.readUTF();
            read.cursor = in.readLong();
            read.off = in.readBoolean();
            read.deadDropped = in.readLong();
            int dead = in.readInt();
            if (dead < 0 || dead > DEAD_LISTED_MAX) {
                throw new IOException(dead + " dead events for one target");
            }
            for (int d = 0; d < dead; d++) {
                addDead(read, new Dead(in.readLong(), blankToNull(in.readUTF()), blankToNull(in.readUTF()),
                        blankToNull(in.readUTF()), Instant.ofEpochMilli(in.readLong())));
            }
            if (targets.containsKey(id)) {
                targets.put(id, read);
            }
        }
    }

    private static String text(String value) {
        return value == null ? "" : value.length() > TEXT_CHARS_MAX ? value.substring(0, TEXT_CHARS_MAX) : value;
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
