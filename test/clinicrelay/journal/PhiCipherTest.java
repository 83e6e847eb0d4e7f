package clinicrelay.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.PhiCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhiCipherTest {
    private static final byte[] PLAIN = "{\"first_name\":\"Xanthippe\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = "\u0001zocdoc:evt-1".getBytes(StandardCharsets.UTF_8);

    private static PhiCipher cipher(byte fill) {
        byte[] key = new byte[PhiCipher.KEY_BYTES];
        Arrays.fill(key, fill);
        return PhiCipher.fromBase64(Base64.getEncoder().encodeToString(key), new SecureRandom());
    }

    @Test
    void everySealUsesAFreshNonce() {
        PhiCipher cipher = cipher((byte) 7);
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            byte[] sealed = cipher.seal(PLAIN, AAD);
            byte[] nonce = Arrays.copyOfRange(sealed, PhiCipher.FINGERPRINT_BYTES, PhiCipher.FINGERPRINT_BYTES + PhiCipher.NONCE_BYTES);
            assertFalse(Arrays.equals(nonce, new byte[PhiCipher.NONCE_BYTES]), "an all-zero nonce");
            assertTrue(nonces.add(Base64.getEncoder().encodeToString(nonce)), "nonce reused");
        }
    }

    @Test
    void sealedDataOpensOnlyWithItsKeyAndItsAssociatedData() throws GeneralSecurityException {
        PhiCipher cipher = cipher((byte) 7);
        byte[] sealed = cipher.seal(PLAIN, AAD);
        assertArrayEquals(PLAIN, cipher.open(sealed, 0, sealed.length, AAD));
        byte[] otherRecord = "\u0001zocdoc:evt-2".getBytes(StandardCharsets.UTF_8);
        assertThrows(GeneralSecurityException.class, () -> cipher.open(sealed, 0, sealed.length, otherRecord));
        byte[] otherType = "\u0002zocdoc:evt-1".getBytes(StandardCharsets.UTF_8);
        assertThrows(GeneralSecurityException.class, () -> cipher.open(sealed, 0, sealed.length, otherType));
        assertThrows(GeneralSecurityException.class, () -> cipher((byte) 8).open(sealed, 0, sealed.length, AAD));
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> cipher.open(tampered, 0, tampered.length, AAD));
    }

    @Test
    void keysMustBeBase64OfExactly32Bytes() {
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> PhiCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[16]), new SecureRandom()));
        assertTrue(shortKey.getMessage().contains("got 16 bytes"));
        assertThrows(IllegalArgumentException.class, () -> PhiCipher.fromBase64("not base64 !!", new SecureRandom()));
    }
}
