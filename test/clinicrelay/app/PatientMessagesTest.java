package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonObject;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeSendGrid;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.MutableClock;
import clinicrelay.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What patients receive, through the local Twilio and SendGrid: the clinic's number in
 * every "call us" line, sentence case, a cancellation e-mail, and two-way confirmation —
 * the reminder invites "Reply C to confirm", a C (or YES) marks the appointment confirmed
 * (journaled, counted once), any other text gets the clinic's number once.
 */
class PatientMessagesTest {
    private static final String PUBLIC = "https://relay.clinic.example";
    private static final String CLINIC_PHONE = "(555) 010-0199";

    @TempDir
    Path dataDir;

    private static Map<String, String> env(FakeTwilio twilio, FakeSendGrid sendgrid) {
        Map<String, String> env = new HashMap<>(twilio.env());
        env.putAll(Map.of("PUBLIC_BASE_URL", PUBLIC, "QUIET_HOURS", "off", "CLINIC_NAME", "Smile Dental",
                "CLINIC_PHONE", CLINIC_PHONE, "SENDGRID_API_KEY", FakeSendGrid.API_KEY,
                "SENDGRID_FROM_EMAIL", "front@clinic.example", "SENDGRID_API_BASE", sendgrid.base().toString(),
                "REMINDER_OFFSETS", "24h"));
        return env;
    }

    private static HttpAnswer reply(TestRelay relay, String body, String sid) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("From", Fixtures.PHONE_E164);
        params.put("To", "+15005550006");
        params.put("Body", body);
        var answer = relay.postTwilio("/twilio/inbound", params, PUBLIC, FakeTwilio.AUTH_TOKEN);
        return new HttpAnswer(answer.statusCode(), answer.body());
    }

    private record HttpAnswer(int status, String body) {
    }

    @Test
    void theClinicsNumberSentenceCaseAndACancellationEmail() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start(); FakeSendGrid sendgrid = FakeSendGrid.start();
             TestRelay relay = TestRelay.start(dataDir, env(twilio, sendgrid), java.time.Clock.systemUTC())) {
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1")).statusCode());
            Await.until("the confirmations", () -> twilio.messagesTo(Fixtures.PHONE_E164) == 1 && sendgrid.mails().size() == 1);
            String text = twilio.messages().get(0).string("body");
            assertTrue(text.contains("Questions? Call " + CLINIC_PHONE + "."), text);
            String mail = mailText(sendgrid.mails().get(0));
            assertTrue(mail.startsWith("Hi " + Fixtures.FIRST_NAME + ",\n\nYour appointment with Dr. Jane Smith is confirmed"), mail);
            assertTrue(mail.contains("please call us at " + CLINIC_PHONE), mail);

            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.cancelled", "appt-1")).statusCode());
            relay.settle();
            List<clinicrelay.delivery.DeliveryView> views = relay.relay().engine().snapshot().join();
            Await.until("the cancellation e-mail " + views + relay.logText(), () -> sendgrid.mails().size() == 2);
            JsonObject cancelled = sendgrid.mails().get(1);
            assertTrue(cancelled.string("subject").startsWith("Your appointment at Smile Dental on ")
                    && cancelled.string("subject").endsWith(" is cancelled"), cancelled.toString());
            assertTrue(mailText(cancelled).contains("To book a new time, please call us at " + CLINIC_PHONE), mailText(cancelled));
            Await.until("the cancellation text", () -> twilio.messagesTo(Fixtures.PHONE_E164) == 2);
            assertTrue(twilio.messages().get(1).string("body").contains("To book again, call " + CLINIC_PHONE), twilio.messages().get(1).toString());
        }
    }

    private static String mailText(JsonObject mail) {
        return mail.array("content").get(0) instanceof JsonObject content ? content.string("value") : "";
    }

    @Test
    void aReplyOfCConfirmsTheRemindedAppointmentOnceAndOtherTextsGetTheNumberOnce() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (FakeTwilio twilio = FakeTwilio.start(); FakeSendGrid sendgrid = FakeSendGrid.start()) {
            twilio.useClock(clock);
            try (TestRelay relay = TestRelay.start(dataDir, env(twilio, sendgrid), clock)) {
                assertEquals("confirm_no_appointment", outcomeOf(relay, reply(relay, "C", "SM-early")),
                        "no reminder has gone out yet");
                assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1")).statusCode());
                Await.until("the confirmation", () -> twilio.messagesTo(Fixtures.PHONE_E164) == 1);
                clock.set(OffsetDateTime.parse(Fixtures.START_TIME).toInstant().minus(Duration.ofHours(24)).plusSeconds(1));
                relay.relay().engine().awaitSettled(10_000);
                Await.until("the reminder", () -> twilio.messagesTo(Fixtures.PHONE_E164) == 2);
                String reminder = twilio.messages().get(1).string("body");
                assertTrue(reminder.contains("Reply C to confirm. To reschedule, call " + CLINIC_PHONE + "."), reminder);

                HttpAnswer confirmed = reply(relay, "c", "SM-c");
                assertEquals(200, confirmed.status());
                assertTrue(confirmed.body().contains("Smile Dental: Thank you, your appointment is confirmed."), confirmed.body());
                HttpAnswer again = reply(relay, "YES", "SM-yes");
                assertTrue(again.body().contains("confirmed"), again.body());
                List<StoredRecord> confirmations = TestRelay.readJournal(dataDir, RecordType.APPOINTMENT_CONFIRMED);
                assertEquals(2, confirmations.size(), "each reply journaled");
                assertEquals("appt-1", confirmations.get(0).key());
                assertTrue(relay.relay().stats().isConfirmed("appt-1"));
                OffsetDateTime visit = OffsetDateTime.parse(Fixtures.START_TIME);
                var report = relay.relay().stats().report(visit.toLocalDate().minusDays(1), visit.toLocalDate().plusDays(1));
                assertEquals(1, report.reminders().confirmed(), "two replies, one confirmation");
                assertEquals(1.0, report.reminders().confirmationRate());

                HttpAnswer chat = reply(relay, "running late", "SM-chat");
                assertTrue(chat.body().contains("This number does not read replies; please call " + CLINIC_PHONE), chat.body());
                assertEquals("<Response></Response>", reply(relay, "ok thanks", "SM-chat-2").body(), "told once");
                for (String phi : Fixtures.PHI) {
                    assertFalse(relay.logText().contains(phi), "patient data in the log: " + phi);
                }
            }
            try (TestRelay restarted = TestRelay.start(dataDir, env(twilio, sendgrid), clock)) {
                assertTrue(restarted.relay().stats().isConfirmed("appt-1"), "a confirmation survives a restart");
            }
        }
    }

    /** The reminder for {@code start}: moves the clock to its time and waits until Twilio holds {@code texts} messages. */
    private static void remindAt(TestRelay relay, MutableClock clock, FakeTwilio twilio, OffsetDateTime start, int texts)
            throws Exception {
        clock.set(start.toInstant().minus(Duration.ofHours(24)).plusSeconds(1));
        relay.relay().engine().awaitSettled(10_000);
        Await.until("the reminder for " + start, () -> twilio.messagesTo(Fixtures.PHONE_E164) == texts);
    }

    @Test
    void aFamilyPhoneConfirmsTheAppointmentOfTheLatestReminder() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        OffsetDateTime mother = OffsetDateTime.parse(Fixtures.START_TIME);
        OffsetDateTime child = mother.plusHours(3);
        try (FakeTwilio twilio = FakeTwilio.start(); FakeSendGrid sendgrid = FakeSendGrid.start()) {
            twilio.useClock(clock);
            try (TestRelay relay = TestRelay.start(dataDir, env(twilio, sendgrid), clock)) {
                relay.postSigned(Fixtures.fullEventBytes("evt-a", "appointment.created", "appt-mother"));
                relay.postSigned(Fixtures.fullEvent("evt-b", "appointment.created", "appt-child", child.toString())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Await.until("both confirmations", () -> twilio.messagesTo(Fixtures.PHONE_E164) == 2);
                remindAt(relay, clock, twilio, mother, 3);
                remindAt(relay, clock, twilio, child, 4);
                assertTrue(reply(relay, "C", "SM-1").body().contains("confirmed"));
                List<StoredRecord> confirmations = TestRelay.readJournal(dataDir, RecordType.APPOINTMENT_CONFIRMED);
                assertEquals(List.of("appt-child"), confirmations.stream().map(StoredRecord::key).toList(),
                        "the reply answers the last reminder the phone got, not the nearest visit");
            }
        }
    }

    @Test
    void aReminderForASlotTheAppointmentLeftConfirmsNothing() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        OffsetDateTime first = OffsetDateTime.parse(Fixtures.START_TIME);
        try (FakeTwilio twilio = FakeTwilio.start(); FakeSendGrid sendgrid = FakeSendGrid.start()) {
            twilio.useClock(clock);
            try (TestRelay relay = TestRelay.start(dataDir, env(twilio, sendgrid), clock)) {
                relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1"));
                Await.until("the confirmation", () -> twilio.messagesTo(Fixtures.PHONE_E164) == 1);
                remindAt(relay, clock, twilio, first, 2);
                byte[] moved = Fixtures.fullEvent("evt-2", "appointment.updated", "appt-1", first.plusDays(7).toString())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(200, relay.post("/webhook", moved, clinicrelay.testing.Signing.zocdocV1(TestRelay.SECRET,
                        clock.instant().getEpochSecond(), moved)).statusCode());
                relay.settle();
                relay.relay().engine().awaitSettled(10_000);
                assertTrue(reply(relay, "C", "SM-1").body().contains("We found no upcoming appointment"),
                        "the reminder was for the old time: the patient has not seen the new one yet");
                assertTrue(TestRelay.readJournal(dataDir, RecordType.APPOINTMENT_CONFIRMED).isEmpty());
            }
        }
    }

    private static String outcomeOf(TestRelay relay, HttpAnswer answer) {
        assertEquals(200, answer.status());
        return answer.body().contains("We found no upcoming appointment") ? "confirm_no_appointment" : answer.body();
    }
}
