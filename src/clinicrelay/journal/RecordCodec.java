package clinicrelay.journal;

import clinicrelay.json.Json;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.zip.CRC32C;

/**
 * Turns records into frames and frames back into records. The format, also in
 * docs/journal.md (all integers big-endian):
 *
 * <pre>
 * frame   := length:u32  crc:u32  type:u8  payload[length]
 *            crc = CRC-32C over length, type and payload (everything but itself)
 * payload := keyLength:u16  key:UTF-8[keyLength]
 *            publicLength:u32  public:JSON[publicLength]
 *            phiMode:u8  phi[rest of payload]
 * phi     := nothing (NONE, SCRUBBED) | JSON (PLAIN) | sealed JSON (SEALED, see PhiCipher)
 * </pre>
 *
 * A sealed part is bound to its record by associated data {@code type:u8 key:UTF-8}.
 */
public final class RecordCodec {
    /** Frame header: length, CRC, type. */
    static final int FRAME_HEADER_BYTES = 9;
    /** Largest key (event or delivery id) a record may carry, in UTF-8 bytes. */
    public static final int KEY_BYTES_MAX = 1024;
    /** Largest payload: a 256 KiB webhook body kept as a JSON string can grow up to six
     *  times by escaping, plus the normalised fields; anything larger is not ours. */
    static final int PAYLOAD_BYTES_MAX = 2 * 1024 * 1024;
    /** Smallest well-formed payload: empty key, "{}", mode byte. */
    static final int PAYLOAD_BYTES_MIN = 2 + 4 + 2 + 1;

    private static final byte[] NO_BYTES = new byte[0];

    private final PhiCipher cipher;

    /** @param cipher null to store patient data in clear (and refuse to read sealed data) */
    public RecordCodec(PhiCipher cipher) {
        this.cipher = cipher;
    }

    public byte[] encodeFrame(JournalRecord record) {
        byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
        if (key.length > KEY_BYTES_MAX) {
            throw new IllegalArgumentException("record key longer than " + KEY_BYTES_MAX + " bytes");
        }
        byte[] publicPart = record.publicJson();
        PhiMode mode = PhiMode.NONE;
        byte[] phi = NO_BYTES;
        if (record.phiJson() != null) {
            mode = cipher == null ? PhiMode.PLAIN : PhiMode.SEALED;
            phi = cipher == null ? record.phiJson() : cipher.seal(record.phiJson(), associatedData(record.type().code(), key));
        }
        int payloadLength = 2 + key.length + 4 + publicPart.length + 1 + phi.length;
        if (payloadLength > PAYLOAD_BYTES_MAX) {
            throw new IllegalArgumentException("record larger than " + PAYLOAD_BYTES_MAX + " bytes");
        }
        byte[] frame = new byte[FRAME_HEADER_BYTES + payloadLength];
        putInt(frame, 0, payloadLength);
        frame[8] = (byte) record.type().code();
        int at = FRAME_HEADER_BYTES;
        frame[at++] = (byte) (key.length >>> 8);
        frame[at++] = (byte) key.length;
        System.arraycopy(key, 0, frame, at, key.length);
        at += key.length;
        putInt(frame, at, publicPart.length);
        at += 4;
        System.arraycopy(publicPart, 0, frame, at, publicPart.length);
        at += publicPart.length;
        frame[at++] = (byte) mode.code();
        System.arraycopy(phi, 0, frame, at, phi.length);
        putInt(frame, 4, checksum(frame, frame, FRAME_HEADER_BYTES, payloadLength));
        return frame;
    }

    /**
     * CRC-32C over a frame's length and type (taken from {@code header}, laid out as on
     * disk) and its payload (which may live in the same array, right after the header).
     */
    static int checksum(byte[] header, byte[] payload, int payloadOffset, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 4);
        crc.update(header, 8, 1);
        crc.update(payload, payloadOffset, payloadLength);
        return (int) crc.getValue();
    }

    /**
     * Splits a checksummed payload into a StoredRecord.
     *
     * @return null when the payload's inner lengths do not add up (reported as corruption by the caller)
     */
    static StoredRecord decode(int typeCode, byte[] payload, Path segment, long offset) {
        if (payload.length < PAYLOAD_BYTES_MIN) {
            return null;
        }
        int keyLength = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        int publicLengthAt = 2 + keyLength;
        if (keyLength > KEY_BYTES_MAX || publicLengthAt + 4 > payload.length) {
            return null;
        }
        int publicLength = getInt(payload, publicLengthAt);
        int publicOffset = publicLengthAt + 4;
        int modeAt = publicOffset + publicLength;
        if (publicLength < 2 || modeAt >= payload.length || modeAt < publicOffset) {
            return null;
        }
        PhiMode mode = PhiMode.fromCode(payload[modeAt] & 0xFF);
        if (mode == null) {
            return null;
        }
        String key = new String(payload, 2, keyLength, StandardCharsets.UTF_8);
        return new StoredRecord(typeCode, key, payload, publicOffset, publicLength, mode, modeAt + 1, segment, offset);
    }

    /**
     * Checks that a sealed record can be opened with the configured key, by fingerprint
     * (cheap: no decryption), so a wrong or missing key stops start-up before anything runs.
     *
     * @return null when fine, else the reason
     */
    public String keyProblem(StoredRecord record) {
        if (record.phiMode() != PhiMode.SEALED) {
            return null;
        }
        if (cipher == null) {
            return "the journal holds encrypted patient data but PHI_ENCRYPTION_KEY is not set";
        }
        if (record.phiLength() < PhiCipher.OVERHEAD_BYTES || !cipher.keyMatches(record.payload(), record.phiOffset())) {
            return "PHI_ENCRYPTION_KEY is not the key that encrypted the journal";
        }
        return null;
    }

    /**
     * The record's patient data, decrypted when sealed.
     *
     * @return null when the record has none (never had, or scrubbed)
     */
    public JsonObject openPhi(StoredRecord record) throws GeneralSecurityException, JsonException {
        byte[] payload = record.payload();
        switch (record.phiMode()) {
            case NONE:
            case SCRUBBED:
                return null;
            case PLAIN:
                return Json.parseObject(java.util.Arrays.copyOfRange(payload, record.phiOffset(), payload.length));
            case SEALED:
                if (cipher == null) {
                    throw new GeneralSecurityException("PHI_ENCRYPTION_KEY is not set");
                }
                byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
                byte[] plain = cipher.open(payload, record.phiOffset(), record.phiLength(),
                        associatedData(record.typeCode(), key));
                return Json.parseObject(plain);
            default:
                throw new IllegalStateException("unhandled PHI mode " + record.phiMode());
        }
    }

    /**
     * Patient data kept outside the journal (a checkpoint's opted-out numbers): sealed with
     * the PHI key like a record's, under {@code label}; in clear without a key, like the journal.
     */
    public byte[] sealApart(byte[] plain, String label) {
        byte[] sealed = cipher == null ? plain : cipher.seal(plain, label.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[1 + sealed.length];
        out[0] = (byte) (cipher == null ? PhiMode.PLAIN.ordinal() : PhiMode.SEALED.ordinal());
        System.arraycopy(sealed, 0, out, 1, sealed.length);
        return out;
    }

    /** What {@link #sealApart} sealed, opened. */
    public byte[] openApart(byte[] stored, String label) throws GeneralSecurityException {
        if (stored.length == 0) {
            throw new GeneralSecurityException("nothing sealed");
        }
        if (stored[0] == PhiMode.PLAIN.ordinal()) {
            return java.util.Arrays.copyOfRange(stored, 1, stored.length);
        }
        if (cipher == null) {
            throw new GeneralSecurityException("PHI_ENCRYPTION_KEY is not set");
        }
        return cipher.open(stored, 1, stored.length - 1, label.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] associatedData(int typeCode, byte[] key) {
        byte[] data = new byte[1 + key.length];
        data[0] = (byte) typeCode;
        System.arraycopy(key, 0, data, 1, key.length);
        return data;
    }

    static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
