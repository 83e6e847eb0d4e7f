package clinicrelay.journal;

import clinicrelay.json.Json;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.nio.file.Path;

/**
 * A record read back from a segment: its type code, key and the two parts, still encoded.
 * Parsing the public part and opening the patient-data part are left to the caller, so
 * replay that only needs keys (duplicate detection) costs no JSON parsing at all.
 */
public final class StoredRecord {
    private final int typeCode;
    private final String key;
    private final byte[] payload;
    private final int publicOffset;
    private final int publicLength;
    private final PhiMode phiMode;
    private final int phiOffset;
    private final Path segment;
    private final long offset;

    StoredRecord(int typeCode, String key, byte[] payload, int publicOffset, int publicLength,
                 PhiMode phiMode, int phiOffset, Path segment, long offset) {
        this.typeCode = typeCode;
        this.key = key;
        this.payload = payload;
        this.publicOffset = publicOffset;
        this.publicLength = publicLength;
        this.phiMode = phiMode;
        this.phiOffset = phiOffset;
        this.segment = segment;
        this.offset = offset;
    }

    /** The record type, or null for a code this version does not know. */
    public RecordType type() {
        return RecordType.fromCode(typeCode);
    }

    public int typeCode() {
        return typeCode;
    }

    public String key() {
        return key;
    }

    public JsonObject publicPart() throws JsonException {
        Object value = Json.parse(payload, publicOffset, publicLength);
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new JsonException("public part is not an object", 0);
    }

    public PhiMode phiMode() {
        return phiMode;
    }

    byte[] payload() {
        return payload;
    }

    int phiOffset() {
        return phiOffset;
    }

    int phiLength() {
        return payload.length - phiOffset;
    }

    /** The segment file this record was read from. */
    public Path segment() {
        return segment;
    }

    /** Byte offset of this record's frame in its segment. */
    public long offset() {
        return offset;
    }

    /** Where this record is, to be read again with {@link Journal#read}. */
    public long position() {
        return JournalPosition.of(Segments.sequenceOf(segment), offset);
    }
}
