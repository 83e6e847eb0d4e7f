package clinicrelay.journal;

import clinicrelay.json.Json;
import clinicrelay.json.JsonObject;
import java.util.Objects;

/**
 * One record to append: a type, a key (the event or delivery id), the part that may be
 * kept forever (ids, types, times, counts) and the patient-data part, kept apart so it
 * can be encrypted and later scrubbed without touching the rest. Both parts are UTF-8
 * JSON objects, already serialised (see {@link clinicrelay.json.JsonBuilder}).
 *
 * @param phiJson   null when the record carries no patient data
 * @param keyPeriod whose data key seals the patient data ({@link KeyPeriods}); {@link KeyPeriods#NONE} for
 *                  data that names no visit (kept as long as the longest booking horizon)
 */
public record JournalRecord(RecordType type, String key, byte[] publicJson, byte[] phiJson, int keyPeriod) {
    public JournalRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publicJson, "publicJson");
    }

    /** A record whose patient data (if any) names no visit. */
    public JournalRecord(RecordType type, String key, byte[] publicJson, byte[] phiJson) {
        this(type, key, publicJson, phiJson, KeyPeriods.NONE);
    }

    /** A record from JSON trees; {@code phi} may be null or empty for none. */
    public static JournalRecord of(RecordType type, String key, JsonObject publicPart, JsonObject phi) {
        return new JournalRecord(type, key, Json.writeBytes(publicPart),
                phi == null || phi.size() == 0 ? null : Json.writeBytes(phi));
    }
}
