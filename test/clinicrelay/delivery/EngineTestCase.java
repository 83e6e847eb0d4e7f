package clinicrelay.delivery;

import static clinicrelay.delivery.EngineFixtures.BOOKED_AT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import clinicrelay.config.SmsConsent;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every engine test shares: a data dir of its own, one {@link EngineHarness} started
 * at {@link EngineFixtures#BOOKED_AT}, closed after the test — which fails if the engine
 * ever refused an illegal state change or found its state inconsistent after a replay.
 */
abstract class EngineTestCase {
    @TempDir
    Path dataDir;
    EngineHarness harness;

    /** An engine with these reminder offsets and quiet hours, texting only patients who consented. */
    EngineHarness start(String offsets, String quietHours) throws Exception {
        harness = new EngineHarness(dataDir, BOOKED_AT, offsets, quietHours, SmsConsent.REQUIRED);
        return harness;
    }

    @AfterEach
    void closeEngine() {
        if (harness == null) {
            return;
        }
        try {
            assertEquals(0, harness.stateErrors(), "illegal state changes or broken invariants:\n" + harness.log.text());
        } finally {
            harness.close();
        }
    }
}
