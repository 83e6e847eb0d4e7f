package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryView;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outside a dry run, a channel without credentials is off: nothing is planned for it,
 * start-up says so, and no patient's e-mail is "sent" to a file in clear. In a dry run
 * with a PHI key, the outbox holds no patient data in clear either.
 */
class ChannelsOffTest {
    @TempDir
    Path dataDir;

    @Test
    void withTwilioButWithoutSendGridEmailIsOffNotSentToAFile() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start();
             TestRelay relay = TestRelay.start(dataDir, Map.of("TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID,
                     "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN, "TWILIO_PHONE_NUMBER", "+15005550006",
                     "TWILIO_API_BASE", twilio.base().toString(), "QUIET_HOURS", "off"), WriteFaults.NONE)) {
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1")).statusCode());
            Await.until("the confirmation text", () -> twilio.messagesTo(Fixtures.PHONE_E164) > 0);
            relay.settle();
            List<DeliveryView> deliveries = relay.relay().engine().snapshot().get(10, TimeUnit.SECONDS);
            assertTrue(deliveries.stream().noneMatch(d -> d.kind().wireName().endsWith("_email")),
                    "no e-mail planned while e-mail is off: " + deliveries);
            assertFalse(Files.exists(dataDir.resolve("outbox.jsonl")), "nothing written to a file in production");
            assertTrue(relay.logText().contains("WARN e-mail is off"), relay.logText());
        }
    }

    @Test
    void aDryRunOutboxHoldsNoPatientDataInClearWhenAKeyIsSet() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir, Map.of("DRY_RUN", "true", "QUIET_HOURS", "off",
                "SMS_CONSENT", "assumed"), WriteFaults.NONE)) {
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.created", "appt-2")).statusCode());
            relay.settle();
            String outbox = Files.readString(dataDir.resolve("outbox.jsonl"), StandardCharsets.UTF_8);
            assertTrue(outbox.contains("\"status\":\"sent\"") && outbox.contains("confirmation_sms"), outbox);
            for (String phi : List.of(Fixtures.PHONE_E164, Fixtures.EMAIL, Fixtures.FIRST_NAME, "Reply STOP")) {
                assertFalse(outbox.contains(phi), "in clear in the outbox: " + phi);
            }
        }
    }
}
