package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMS_CONSENT on a real relay texting through the fake Twilio, for full webhooks that say
 * yes, say no, or say nothing. (Zocdoc's API, which carries no flag at all, is texted under
 * the default: see {@code ZocdocFlowTest}.)
 */
class SmsConsentTest {
    @TempDir
    Path dataDir;
    private FakeTwilio twilio;
    private TestRelay relay;

    @BeforeEach
    void startTwilio() throws Exception {
        twilio = FakeTwilio.start();
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        twilio.close();
    }

    private void start(String policy) throws Exception {
        Map<String, String> env = new HashMap<>(twilio.env());
        env.put("QUIET_HOURS", "off");
        if (policy != null) {
            env.put("SMS_CONSENT", policy);
        }
        relay = TestRelay.start(dataDir, env, WriteFaults.NONE);
    }

    /** Books three appointments for three numbers: consent yes, no, and not said; returns who was texted. */
    private String textedAmongYesNoUnsaid() throws Exception {
        post("appt-yes", "+16175550101", "true");
        post("appt-no", "+16175550102", "false");
        post("appt-unsaid", "+16175550103", null);
        relay.settle();
        return (twilio.messagesTo("+16175550101") > 0 ? "yes " : "") + (twilio.messagesTo("+16175550102") > 0 ? "no " : "")
                + (twilio.messagesTo("+16175550103") > 0 ? "unsaid" : "");
    }

    private void post(String appointmentId, String phone, String consent) throws Exception {
        String body = Fixtures.fullEvent("evt-" + appointmentId, "appointment.created", appointmentId)
                .replace("\"phone\":\"" + Fixtures.PHONE_RAW + "\"", "\"phone\":\"" + phone + "\"")
                .replace("\"sms_consent\":true,", consent == null ? "" : "\"sms_consent\":" + consent + ",");
        assertEquals(200, relay.postSigned(body.getBytes(StandardCharsets.UTF_8)).statusCode());
    }

    @Test
    void byDefaultAnExplicitFlagIsHonouredAndAShapeThatLeavesItOutIsNotTexted() throws Exception {
        start(null);
        assertEquals("yes ", textedAmongYesNoUnsaid());
    }

    @Test
    void requiredTextsOnlyAnExplicitYes() throws Exception {
        start("required");
        assertEquals("yes ", textedAmongYesNoUnsaid());
    }

    @Test
    void assumedTextsAnyoneWhoGaveANumberUnlessTheySaidNo() throws Exception {
        start("assumed");
        assertEquals("yes unsaid", textedAmongYesNoUnsaid());
    }
}
