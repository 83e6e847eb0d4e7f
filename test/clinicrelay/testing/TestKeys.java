package clinicrelay.testing;

import clinicrelay.journal.DataKeys;
import clinicrelay.journal.PhiCipher;
import clinicrelay.journal.RecordCodec;
import clinicrelay.log.Log;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/** The PHI key tests run with (patient data is encrypted in tests as in production), and codecs over it. */
public final class TestKeys {
    /** Base64 of 32 fixed bytes: a well-formed PHI_ENCRYPTION_KEY. */
    public static final String PHI_KEY = Base64.getEncoder().encodeToString(
            "clinic-relay tests' PHI key 32b!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private TestKeys() {
    }

    /** A codec sealing under data keys kept in {@code dataDir}, wrapped by {@link #PHI_KEY}. */
    public static RecordCodec codec(Path dataDir, Clock clock) throws Exception {
        return codec(dataDir, PHI_KEY, clock);
    }

    public static RecordCodec codec(Path dataDir, String phiKey, Clock clock) throws Exception {
        SecureRandom random = new SecureRandom();
        return new RecordCodec(DataKeys.open(dataDir, PhiCipher.fromBase64(phiKey, random), null, random, clock,
                new Log(new ByteArrayOutputStream(), clock), true), clock);
    }
}
