package clinicrelay.journal;

import clinicrelay.json.JsonObject;
import java.util.Objects;

/**
 * One record to append: a type, a key (the event or delivery id), the part that may be
 * kept forever (ids, types, times, counts) and the patient-data part, kept apart so it
 * can be encrypted and later scrubbed without touching the rest.
 *
 * @param phi null when the record carries no patient data
 */
public record JournalRecord(RecordType type, String key, JsonObject publicPart, JsonObject phi) {
    public JournalRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publicPart, "publicPart");
    }
}
