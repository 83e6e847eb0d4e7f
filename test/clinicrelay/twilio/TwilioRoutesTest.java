package clinicrelay.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /twilio/inbound and /twilio/status on a real relay sending through the fake Twilio. */
class TwilioRoutesTest {
    private static final String PUBLIC = "https://relay.clinic.example";
    @TempDir
    Path dataDir;
    private FakeTwilio twilio;
    private TestRelay relay;

    @BeforeEach
    void start() throws Exception {
        twilio = FakeTwilio.start();
        relay = TestRelay.start(dataDir, Map.of("PUBLIC_BASE_URL", PUBLIC, "TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID,
                "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN, "TWILIO_PHONE_NUMBER", "+15005550006",
                "TWILIO_API_BASE", twilio.base().toString(), "QUIET_HOURS", "off"), WriteFaults.NONE);
    }

    @AfterEach
    void stop() {
        relay.close();
        twilio.close();
    }

    private HttpResponse<String> callback(String pathAndQuery, Map<String, String> params, String token) throws Exception {
        StringBuilder form = new StringBuilder();
        params.forEach((name, value) -> form.append(form.length() == 0 ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        String signature = new TwilioSignature(token).sign(PUBLIC + pathAndQuery, params);
        return relay.post(pathAndQuery, form.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", signature));
    }

    private static int sids;

    private static Map<String, String> inbound(String body) {
        return inbound(body, "SM" + (++sids));
    }

    private static Map<String, String> inbound(String body, String messageSid) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", messageSid);
        params.put("From", Fixtures.PHONE_E164);
        params.put("To", "+15005550006");
        params.put("Body", body);
        return params;
    }

    private DeliveryView delivery(String kind) throws Exception {
        for (DeliveryView view : relay.relay().engine().snapshot().get()) {
            if (view.kind().wireName().equals(kind)) {
                return view;
            }
        }
        throw new AssertionError("no " + kind);
    }

    private void awaitState(String kind, DeliveryState state) throws Exception {
        Await.until(kind + " " + state.wireName(), () -> delivery(kind).state() == state);
    }

    @Test
    void stopOptsTheNumberOutAndNoTextIsSentUntilStart() throws Exception {
        HttpResponse<String> stop = callback("/twilio/inbound", inbound(" stop "), FakeTwilio.AUTH_TOKEN);
        assertEquals(200, stop.statusCode());
        assertEquals("<Response></Response>", stop.body());
        assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1")).statusCode());
        awaitState("confirmation_sms", DeliveryState.SKIPPED);
        assertEquals(0, twilio.messagesTo(Fixtures.PHONE_E164));

        assertEquals(200, callback("/twilio/inbound", inbound("START"), FakeTwilio.AUTH_TOKEN).statusCode());
        assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.created", "appt-2")).statusCode());
        Await.until("a text after START", () -> twilio.messagesTo(Fixtures.PHONE_E164) > 0);
        assertTrue(twilio.created().get(0).get("Body").endsWith("Reply STOP to opt out."));
        String logged = relay.logText().toLowerCase(Locale.ROOT);
        assertTrue(logged.contains("outcome=opted_out") && logged.contains("outcome=opted_in"), logged);
        assertFalse(logged.contains(Fixtures.PHONE_DIGITS), "no phone number in the log");
    }

    @Test
    void aReplayedStopDoesNotOptThePatientOutAgainAfterStart() throws Exception {
        assertEquals(200, callback("/twilio/inbound", inbound("STOP", "SMstop"), FakeTwilio.AUTH_TOKEN).statusCode());
        assertEquals(200, callback("/twilio/inbound", inbound("START", "SMstart"), FakeTwilio.AUTH_TOKEN).statusCode());
        HttpResponse<String> replayed = callback("/twilio/inbound", inbound("STOP", "SMstop"), FakeTwilio.AUTH_TOKEN);
        assertEquals(200, replayed.statusCode(), "answered, so Twilio does not retry it");
        assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-r", "appointment.created", "appt-r")).statusCode());
        Await.until("a text: the patient is still opted in", () -> twilio.messagesTo(Fixtures.PHONE_E164) > 0);
        assertTrue(relay.logText().contains("outcome=duplicate"), relay.logText());
    }

    @Test
    void helpGetsAnAnswerAndOtherTextsGetTheClinicsNumberOnce() throws Exception {
        HttpResponse<String> help = callback("/twilio/inbound", inbound("HELP"), FakeTwilio.AUTH_TOKEN);
        assertTrue(help.body().startsWith("<Response><Message>Your clinic: ") && help.body().contains("Reply STOP to opt out."),
                help.body());
        String other = callback("/twilio/inbound", inbound("stop please"), FakeTwilio.AUTH_TOKEN).body();
        assertTrue(other.contains("This number does not read replies"), "only single-word keywords count, as at Twilio: " + other);
        assertEquals("<Response></Response>", callback("/twilio/inbound", inbound("what time again?"), FakeTwilio.AUTH_TOKEN).body(),
                "told once per number");
    }

    @Test
    void wrongOrMissingSignaturesAre403() throws Exception {
        assertEquals(403, callback("/twilio/inbound", inbound("STOP"), "not-the-token").statusCode());
        assertEquals(403, relay.post("/twilio/inbound", "Body=STOP&From=%2B16175550199".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded")).statusCode());
        assertEquals(403, callback("/twilio/status?delivery=x", Map.of("MessageStatus", "delivered"), "nope").statusCode());
        assertEquals(405, relay.get("/twilio/status").statusCode());
    }

    @Test
    void statusCallbacksRecordDeliveryAndNeverDowngrade() throws Exception {
        assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1")).statusCode());
        awaitState("confirmation_sms", DeliveryState.SENT);
        String callbackUrl = twilio.created().get(0).get("StatusCallback");
        assertTrue(callbackUrl.startsWith(PUBLIC + "/twilio/status?delivery="), callbackUrl);
        String path = callbackUrl.substring(PUBLIC.length());
        assertEquals(204, callback(path, Map.of("MessageSid", "SM1", "MessageStatus", "delivered"), FakeTwilio.AUTH_TOKEN).statusCode());
        awaitState("confirmation_sms", DeliveryState.DELIVERED);
        assertEquals(204, callback(path, Map.of("MessageSid", "SM1", "MessageStatus", "undelivered", "ErrorCode", "30003"),
                FakeTwilio.AUTH_TOKEN).statusCode());
        assertEquals(204, callback(path, Map.of("MessageSid", "SM1", "MessageStatus", "sent"), FakeTwilio.AUTH_TOKEN).statusCode());
        relay.relay().engine().awaitIdle(5000);
        assertEquals(DeliveryState.DELIVERED, delivery("confirmation_sms").state(), "a late 'undelivered' does not downgrade");
        assertEquals(200, callback("/twilio/inbound", inbound("STOP"), FakeTwilio.AUTH_TOKEN).statusCode());
        String logged = relay.logText().toLowerCase(Locale.ROOT);
        assertTrue(logged.contains("delivery status outcome=delivered") && logged.contains("outcome=opted_out"), logged);
        for (String phi : Fixtures.PHI) {
            assertFalse(logged.contains(phi.toLowerCase(Locale.ROOT)), "PHI in the log: " + phi);
        }
    }
}
