package clinicrelay.journal;

import clinicrelay.json.Json;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
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
 * phi     := nothing (NONE, SCRUBBED) | JSON (PLAIN) | sealed JSON (SEALED: under PHI_ENCRYPTION_KEY, see PhiCipher)
 *            | period:i32 sealed JSON (SEALED_DATA_KEY: under that period's data key, see DataKeys)
 * </pre>
 *
 * A sealed part is bound to its record by associated data {@code type:u8 key:UTF-8}. New
 * records are sealed under data keys; SEALED records (written before data keys existed)
 * are still read with PHI_ENCRYPTION_KEY or PHI_ENCRYPTION_KEY_PREVIOUS.
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

    private final DataKeys keys;
    private final Clock clock;

    /** @param keys null to store patient data in clear (and refuse to read sealed data) */
    public RecordCodec(DataKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A codec that stores patient data in clear (PHI_ENCRYPTION=off, and tests of the format). */
    public static RecordCodec plain() {
        return new RecordCodec(null, Clock.systemUTC());
    }

    /** The data keys sealing patient data, or null when it is kept in clear. */
    public DataKeys dataKeys() {
        return keys;
    }

    public byte[] encodeFrame(JournalRecord record) {
        byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
        if (key.length > KEY_BYTES_MAX) {
            throw new IllegalArgumentException("record key longer than " + KEY_BYTES_MAX + " bytes");
        }
        byte[] publicPart = record.publicJson();
        PhiMode mode = PhiMode.NONE;
        byte[] phi = NO_BYTES;
        if (record.phiJson() != null && keys == null) {
            mode = PhiMode.PLAIN;
            phi = record.phiJson();
        } else if (record.phiJson() != null) {
            mode = PhiMode.SEALED_DATA_KEY;
            phi = sealed(record.phiJson(), record.keyPeriod(), associatedData(record.type().code(), key));
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
        PhiMode mode = record.phiMode();
        if (mode != PhiMode.SEALED && mode != PhiMode.SEALED_DATA_KEY) {
            return null;
        }
        if (keys == null) {
            return "the journal holds encrypted patient data but PHI_ENCRYPTION_KEY is not set";
        }
        if (mode == PhiMode.SEALED) {
            return record.phiLength() >= PhiCipher.OVERHEAD_BYTES && keys.legacy(record.payload(), record.phiOffset()) != null
                    ? null : "PHI_ENCRYPTION_KEY is not the key that encrypted the journal";
        }
        if (record.phiLength() < Integer.BYTES + PhiCipher.OVERHEAD_BYTES) {
            return "a sealed part too short to be one";
        }
        int period = getInt(record.payload(), record.phiOffset());
        DataKeys.State state = keys.state(period);
        if (state == DataKeys.State.UNKNOWN) {
            return "the journal's patient data is sealed with a data key (" + KeyPeriods.label(period) + ") that "
                    + DataKeys.directoryIn(Path.of("DATA_DIR")) + " does not hold: restore the keys directory that"
                    + " belongs with this journal";
        }
        return null;
    }

    /**
     * True when the record's patient data was sealed under a data key since destroyed by
     * retention: it can never be read again.
     */
    public boolean isErased(StoredRecord record) {
        return record.phiMode() == PhiMode.SEALED_DATA_KEY && keys != null && record.phiLength() >= Integer.BYTES
                && keys.state(getInt(record.payload(), record.phiOffset())) == DataKeys.State.ERASED;
    }

    /**
     * The record's patient data, decrypted when sealed.
     *
     * @return null when the record has none (never had, scrubbed, or erased: see {@link #isErased})
     */
    public JsonObject openPhi(StoredRecord record) throws GeneralSecurityException, JsonException {
        byte[] payload = record.payload();
        switch (record.phiMode()) {
            case NONE:
            case SCRUBBED:
                return null;
            case PLAIN:
                return Json.parseObject(java.util.Arrays.copyOfRange(payload, record.phiOffset(), payload.length));
            case SEALED: {
                PhiCipher legacy = keys == null ? null : keys.legacy(payload, record.phiOffset());
                if (legacy == null) {
                    throw new GeneralSecurityException("sealed under a key that is not configured");
                }
                return Json.parseObject(legacy.open(payload, record.phiOffset(), record.phiLength(),
                        associatedData(record.typeCode(), record.key().getBytes(StandardCharsets.UTF_8))));
            }
            case SEALED_DATA_KEY: {
                if (isErased(record)) {
                    return null;
                }
                byte[] plain = opened(payload, record.phiOffset(), record.phiLength(),
                        associatedData(record.typeCode(), record.key().getBytes(StandardCharsets.UTF_8)));
                return Json.parseObject(plain);
            }
            default:
                throw new IllegalStateException("unhandled PHI mode " + record.phiMode());
        }
    }

    /**
     * Patient data kept outside the journal (a checkpoint's opted-out numbers): sealed with
     * the PHI key like a record's, under {@code label}; in clear without a key, like the journal.
     */
    public byte[] sealApart(byte[] plain, String label) {
        return sealApart(plain, label, KeyPeriods.CONSENT);
    }

    /** Like {@link #sealApart(byte[], String)}, under {@code period}'s data key (erased with it). */
    public byte[] sealApart(byte[] plain, String label, int period) {
        byte[] sealed = keys == null ? plain : sealed(plain, period, label.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[1 + sealed.length];
        out[0] = (byte) (keys == null ? PhiMode.PLAIN.code() : PhiMode.SEALED_DATA_KEY.code());
        System.arraycopy(sealed, 0, out, 1, sealed.length);
        return out;
    }

    /** What {@link #sealApart} sealed, opened. */
    public byte[] openApart(byte[] stored, String label) throws GeneralSecurityException {
        if (stored.length == 0) {
            throw new GeneralSecurityException("nothing sealed");
        }
        if (stored[0] == PhiMode.PLAIN.code()) {
            return java.util.Arrays.copyOfRange(stored, 1, stored.length);
        }
        if (stored[0] != PhiMode.SEALED_DATA_KEY.code() || stored.length < 1 + Integer.BYTES) {
            throw new GeneralSecurityException("not sealed the way this version seals");
        }
        return opened(stored, 1, stored.length - 1, label.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code period:i32} then the plaintext sealed under that period's data key (made if new, or the current week's if erased). */
    private byte[] sealed(byte[] plain, int period, byte[] associatedData) {
        int wanted = period == KeyPeriods.NONE ? KeyPeriods.forVisit(null, clock.instant()) : period;
        DataKeys.Sealing sealing;
        try {
            sealing = keys.forSealing(wanted);
        } catch (IOException keyNotStored) {
            throw new UncheckedIOException("a new data key could not be stored", keyNotStored);
        }
        byte[] sealed = sealing.cipher().seal(plain, associatedData);
        byte[] out = new byte[Integer.BYTES + sealed.length];
        putInt(out, 0, sealing.period());
        System.arraycopy(sealed, 0, out, Integer.BYTES, sealed.length);
        return out;
    }

    private byte[] opened(byte[] bytes, int offset, int length, byte[] associatedData) throws GeneralSecurityException {
        if (keys == null) {
            throw new GeneralSecurityException("PHI_ENCRYPTION_KEY is not set");
        }
        int period = getInt(bytes, offset);
        PhiCipher cipher = keys.cipher(period);
        if (cipher == null) {
            throw new GeneralSecurityException("the data key of " + KeyPeriods.label(period) + " is "
                    + (keys.state(period) == DataKeys.State.ERASED ? "erased" : "not in the key file"));
        }
        return cipher.open(bytes, offset + Integer.BYTES, length - Integer.BYTES, associatedData);
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
