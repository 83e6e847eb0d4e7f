package clinicrelay.app;

import clinicrelay.config.Config;
import clinicrelay.journal.DataKeys;
import clinicrelay.journal.PhiCipher;
import clinicrelay.journal.RecordCodec;
import clinicrelay.log.Log;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * How patient data is protected on disk, from the configuration: sealed under data keys
 * wrapped by PHI_ENCRYPTION_KEY, or — only when the operator says PHI_ENCRYPTION=off — in
 * clear. Serving without either is refused: a clinic must not find out later that its
 * patients' numbers sat on disk unencrypted because a variable was missing.
 */
public final class PhiProtection {
    private PhiProtection() {
    }

    /** The codec the server writes with. */
    static RecordCodec forServing(Config config, SecureRandom random, Clock clock, Log log)
            throws Relay.StartupException, IOException {
        if (config.phiEncryptionKey == null) {
            if (!config.phiEncryptionOff) {
                throw new Relay.StartupException(ConfigChecks.NO_PHI_KEY, null);
            }
            return new RecordCodec(null, clock);
        }
        try {
            return open(config, random, clock, log, true);
        } catch (DataKeys.KeyFileException | IllegalArgumentException unusable) {
            throw new Relay.StartupException(unusable.getMessage(), null);
        }
    }

    /**
     * The codec a reader beside the server uses (journal dump, verify, backup): the data
     * keys when a key is configured, read only; none otherwise.
     */
    public static RecordCodec forReading(Config config, Clock clock, Log log) throws IOException, DataKeys.KeyFileException {
        if (config.phiEncryptionKey == null) {
            return new RecordCodec(null, clock);
        }
        return open(config, new SecureRandom(), clock, log, false);
    }

    private static RecordCodec open(Config config, SecureRandom random, Clock clock, Log log, boolean writable)
            throws IOException, DataKeys.KeyFileException {
        PhiCipher master = PhiCipher.fromBase64(config.phiEncryptionKey, random);
        PhiCipher previous = config.phiEncryptionKeyPrevious == null ? null
                : PhiCipher.fromBase64(config.phiEncryptionKeyPrevious, random);
        return new RecordCodec(DataKeys.open(config.dataDir, master, previous, random, clock, log, writable), clock);
    }
}
