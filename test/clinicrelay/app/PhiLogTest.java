package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.DiskFaults;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.RawHttp;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No patient data in any output, on every path (README "What we log, and never log"). Fixtures full of
 * distinctive PHI go through each outcome; everything the process printed (our log,
 * System.out, System.err) is then searched for every PHI string.
 */
class PhiLogTest {
    @TempDir
    Path dataDir;

    @Test
    void noPatientDataReachesAnyOutputOnAnyPath() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String logged;
        try {
            logged = pushPhiThroughEveryPath();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String everything = logged + stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
        for (String outcome : List.of("outcome=accepted", "outcome=duplicate", "outcome=invalid_signature",
                "outcome=invalid_json", "outcome=not_an_object", "outcome=too_large", "outcome=not_stored",
                "event type not recognised", "phone_unusable", "start_time_unparsable", "thin event stored")) {
            assertTrue(everything.contains(outcome), "path not exercised: " + outcome + "\n" + everything);
        }
        String haystack = everything.toLowerCase(Locale.ROOT);
        for (String phi : Fixtures.PHI) {
            assertFalse(haystack.contains(phi.toLowerCase(Locale.ROOT)), "PHI leaked into output: " + phi + "\n" + everything);
        }
    }

    private String pushPhiThroughEveryPath() throws Exception {
        DiskFaults faults = new DiskFaults();
        try (TestRelay relay = TestRelay.start(dataDir, Map.of(), faults)) {
            byte[] accepted = Fixtures.fullEventBytes("evt-phi-1", "appointment.created", "appt-phi");
            assertEquals(200, relay.postSigned(accepted).statusCode());
            assertEquals(200, relay.postSigned(accepted).statusCode());
            assertEquals(401, relay.post("/webhook", accepted, Signing.hex("wrong", accepted)).statusCode());
            String broken = Fixtures.fullEvent("evt-phi-2", "appointment.created", "appt-phi");
            assertEquals(400, relay.postSigned(broken.substring(0, broken.length() - 2).getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals(400, relay.postSigned(("[" + broken + "]").getBytes(StandardCharsets.UTF_8)).statusCode());
            byte[] huge = (broken + " ".repeat(300_000)).getBytes(StandardCharsets.UTF_8);
            assertEquals(413, relay.postSigned(huge).statusCode());
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-phi-3", "appointment.moved_to_mars", "appt-phi")).statusCode());
            String unusable = broken.replace(Fixtures.PHONE_RAW, "call " + Fixtures.PHONE_DIGITS + " after 5")
                    .replace(Fixtures.START_TIME, Fixtures.DATE_OF_BIRTH + " " + Fixtures.VISIT_REASON)
                    .replace("evt-phi-2", "evt-phi-4");
            assertEquals(200, relay.postSigned(unusable.getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals(200, relay.postSigned(Fixtures.thinEvent("appt-thin", "2026-11-27T10:00:00Z", "created")).statusCode());
            faults.fail("No space left on device");
            byte[] lost = Fixtures.fullEventBytes("evt-phi-5", "appointment.created", "appt-phi");
            assertEquals("", RawHttp.post(relay.port(), "/webhook",
                    Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, lost), lost, 10_000));
            faults.heal();
            return relay.logText();
        }
    }
}
