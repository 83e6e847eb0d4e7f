package clinicrelay.journal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the patient-data part of journal records ({@code PHI_ENCRYPTION_KEY}).
 *
 * <p>Sealed form: {@code [8-byte key fingerprint][12-byte nonce][ciphertext + 16-byte tag]}.
 * Every seal draws a fresh random 96-bit nonce, so one key can seal far more records than
 * a clinic will ever write (the birthday bound for 96-bit nonces is about 2^32 records).
 * The caller passes associated data (the record's type and id), so a sealed part moved to
 * another record fails to open. The fingerprint (HMAC of a fixed label under the key,
 * truncated) lets start-up say "this is the wrong key" without trying to decrypt, and
 * reveals nothing useful about a 256-bit key.
 */
public final class PhiCipher {
    public static final int KEY_BYTES = 32;
    public static final int FINGERPRINT_BYTES = 8;
    public static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    /** Bytes a sealed part adds to its plaintext. */
    public static final int OVERHEAD_BYTES = FINGERPRINT_BYTES + NONCE_BYTES + TAG_BITS / 8;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final byte[] FINGERPRINT_LABEL = "clinic-relay PHI key fingerprint v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;
    private final byte[] fingerprint;
    private final SecureRandom random;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(PhiCipher::newCipher);

    private PhiCipher(byte[] keyBytes, SecureRandom random) {
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.fingerprint = fingerprintOf(keyBytes);
        this.random = random;
    }

    /**
     * Builds a cipher from the configured base64 key.
     *
     * @throws IllegalArgumentException naming the variable and the decoded length, never the key
     */
    public static PhiCipher fromBase64(String base64, SecureRandom random) {
        byte[] keyBytes;
        try {
            keyBytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("PHI_ENCRYPTION_KEY is not valid base64");
        }
        if (keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("PHI_ENCRYPTION_KEY must be base64 of exactly " + KEY_BYTES
                    + " bytes, got " + keyBytes.length + " bytes");
        }
        return new PhiCipher(keyBytes, random);
    }

    /** A cipher over raw key bytes (a data key unwrapped or just drawn). */
    static PhiCipher fromBytes(byte[] keyBytes, SecureRandom random) {
        if (keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key of " + keyBytes.length + " bytes");
        }
        return new PhiCipher(keyBytes, random);
    }

    /** The raw key, to be wrapped (a data key) — never logged or written in clear. */
    byte[] keyBytes() {
        return key.getEncoded();
    }

    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] sealed = new byte[OVERHEAD_BYTES + plaintext.length];
        System.arraycopy(fingerprint, 0, sealed, 0, FINGERPRINT_BYTES);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, sealed, FINGERPRINT_BYTES, NONCE_BYTES);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, FINGERPRINT_BYTES + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JDK", e);
        }
        return sealed;
    }

    /** True when {@code sealed} (at offset) was sealed under this cipher's key. */
    public boolean keyMatches(byte[] sealed, int offset) {
        return Arrays.equals(fingerprint, 0, FINGERPRINT_BYTES, sealed, offset, offset + FINGERPRINT_BYTES);
    }

    /**
     * Opens a sealed part.
     *
     * @throws GeneralSecurityException when the key is wrong or the bytes or associated data were altered
     */
    public byte[] open(byte[] sealed, int offset, int length, byte[] associatedData) throws GeneralSecurityException {
        if (length < OVERHEAD_BYTES) {
            throw new GeneralSecurityException("sealed part shorter than its header");
        }
        if (!keyMatches(sealed, offset)) {
            throw new GeneralSecurityException("sealed under another key");
        }
        Cipher cipher = ciphers.get();
        cipher.init(Cipher.DECRYPT_MODE, key,
                new GCMParameterSpec(TAG_BITS, sealed, offset + FINGERPRINT_BYTES, NONCE_BYTES));
        cipher.updateAAD(associatedData);
        int cipherStart = offset + FINGERPRINT_BYTES + NONCE_BYTES;
        return cipher.doFinal(sealed, cipherStart, length - FINGERPRINT_BYTES - NONCE_BYTES);
    }

    private static byte[] fingerprintOf(byte[] keyBytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(FINGERPRINT_LABEL), FINGERPRINT_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JDK", e);
        }
    }
}
