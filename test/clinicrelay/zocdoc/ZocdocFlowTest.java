package clinicrelay.zocdoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.journal.StoredRecord;
import clinicrelay.journal.WriteFaults;
import clinicrelay.json.JsonObject;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeTwilio;
import clinicrelay.testing.FakeZocdoc;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Zocdoc partner API end to end: a real relay, a fake Zocdoc API and a fake Twilio. Thin webhooks and
 * the sweep end in exactly the messages a full webhook would send.
 */
class ZocdocFlowTest {

    @TempDir
    Path dataDir;
    private FakeZocdoc zocdoc;
    private FakeTwilio twilio;
    private TestRelay relay;

    @BeforeEach
    void start() throws Exception {
        zocdoc = FakeZocdoc.start();
        twilio = FakeTwilio.start();
        zocdoc.nameProvider("pr_1", "Dr. Jane Smith");
        relay = startRelay();
    }

    private static final String PUBLIC = "https://relay.clinic.example";

    /** A PHI key, so the test can show that what the API told is encrypted at rest like a webhook's. */
    private static final String PHI_KEY = java.util.Base64.getEncoder()
            .encodeToString("0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private TestRelay startRelay() throws Exception {
        Map<String, String> env = new HashMap<>(zocdoc.env());
        env.put("PHI_ENCRYPTION_KEY", PHI_KEY);
        // SMS_CONSENT left at its default: Zocdoc's API carries no consent flag, and its patients are texted.
        env.put("PUBLIC_BASE_URL", PUBLIC);
        env.put("QUIET_HOURS", "off");
        env.putAll(twilio.env());
        return TestRelay.start(dataDir, env, WriteFaults.NONE);
    }

    @AfterEach
    void stop() {
        relay.close();
        twilio.close();
        zocdoc.close();
    }

    /** A fresh booking in Zocdoc, for the fixture patient (10-digit phone, as the API gives it). */
    private void booked(String appointmentId, Instant modified) {
        zocdoc.putAppointment(appointmentId, "confirmed", Fixtures.START_TIME, Instant.now().minusSeconds(120), modified,
                "pr_1", Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_DIGITS, Fixtures.EMAIL);
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.until(what, condition);
    }

    private List<DeliveryView> deliveries(String appointmentId) throws Exception {
        return relay.relay().engine().snapshot().get().stream().filter(v -> v.appointmentId().equals(appointmentId)).toList();
    }

    private DeliveryView one(String appointmentId, DeliveryKind kind) throws Exception {
        List<DeliveryView> found = deliveries(appointmentId).stream().filter(v -> v.kind() == kind).toList();
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    private long textsTo(String phone) {
        return twilio.messages().stream().filter(m -> phone.equals(m.string("to"))).count();
    }

    @Test
    void aThinUpdateForAFreshAppointmentIsConfirmedAndRemindedAndAThinCancellationCancels() throws Exception {
        Instant modified = Instant.now().minusSeconds(60);
        booked("ap-1", modified);
        assertEquals(200, relay.postSigned(Fixtures.thinEvent("ap-1", modified.toString(), "updated")).statusCode());
        await(() -> textsTo(Fixtures.PHONE_E164) == 1, "the confirmation at Twilio");
        JsonObject confirmation = twilio.messages().get(0);
        assertTrue(confirmation.string("body").contains("Dr. Jane Smith"), confirmation.string("body"));
        assertTrue(confirmation.string("body").contains(Fixtures.FIRST_NAME));
        assertEquals(DeliveryState.PENDING, one("ap-1", DeliveryKind.REMINDER_SMS).state());
        assertEquals(DeliveryState.SENT, one("ap-1", DeliveryKind.FETCH_DETAILS).state());

        Instant cancelled = Instant.now();
        zocdoc.change("ap-1", "cancelled", null, cancelled);
        // the API's word wins: the webhook's own type says "updated"
        assertEquals(200, relay.postSigned(Fixtures.thinEvent("ap-1", cancelled.toString(), "updated")).statusCode());
        await(() -> textsTo(Fixtures.PHONE_E164) == 2, "the cancellation at Twilio");
        assertTrue(twilio.messages().get(1).string("body").toLowerCase(Locale.ROOT).contains("cancel"));
        assertEquals(DeliveryState.CANCELLED, one("ap-1", DeliveryKind.REMINDER_SMS).state());
        assertNoPhiOrToken();
    }

    @Test
    void aStopFromTheNumberWinsOverTheConsentAZocdocBookingImplies() throws Exception {
        assertEquals(200, relay.postTwilio("/twilio/inbound", Map.of("MessageSid", "SMstop1", "From", Fixtures.PHONE_E164,
                "To", "+15005550006", "Body", "STOP"), PUBLIC, FakeTwilio.AUTH_TOKEN).statusCode());
        Instant modified = Instant.now().minusSeconds(60);
        booked("ap-stop", modified);
        assertEquals(200, relay.postSigned(Fixtures.thinEvent("ap-stop", modified.toString(), "created")).statusCode());
        await(() -> {
            try {
                return one("ap-stop", DeliveryKind.CONFIRMATION_SMS).state() == DeliveryState.SKIPPED;
            } catch (Throwable notYet) {
                return false;
            }
        }, "the confirmation skipped");
        assertEquals(0, textsTo(Fixtures.PHONE_E164));
    }

    @Test
    void theSweepCatchesAMissedWebhookAndALaterDuplicateWebhookChangesNothing() throws Exception {
        Instant modified = Instant.now().minusSeconds(30);
        booked("ap-2", modified); // its webhook was lost
        ZocdocSweep.Result swept = relay.relay().sweep().runOnce();
        assertEquals(1, swept.fed());
        await(() -> textsTo(Fixtures.PHONE_E164) == 1, "the confirmation of the swept appointment");
        await(() -> {
            try {
                return one("ap-2", DeliveryKind.REMINDER_SMS).state() == DeliveryState.PENDING;
            } catch (Exception e) {
                return false;
            }
        }, "its reminder planned");

        assertEquals(200, relay.postSigned(Fixtures.thinEvent("ap-2", modified.toString(), "updated")).statusCode());
        await(() -> {
            try {
                return deliveries("ap-2").stream().filter(v -> v.kind() == DeliveryKind.FETCH_DETAILS)
                        .allMatch(v -> v.state() == DeliveryState.SENT) && deliveries("ap-2").stream()
                        .filter(v -> v.kind() == DeliveryKind.FETCH_DETAILS).count() == 2;
            } catch (Exception e) {
                return false;
            }
        }, "the late webhook's fetch");
        relay.relay().engine().awaitIdle(5_000);
        assertEquals(1, textsTo(Fixtures.PHONE_E164), "the same version again: nothing more");
        assertEquals(1, storedKeys().stream().filter(k -> k.startsWith("zocdoc-api:ap-2|")).count());
        assertEquals(0, relay.relay().sweep().runOnce().fed(), "nothing new to feed");

        Instant mark = relay.relay().sweep().through();
        relay.close();
        relay = startRelay();
        assertEquals(mark, relay.relay().sweep().through(), "a restart resumes where the last sweep ended");
        assertNoPhiOrToken();
    }

    @Test
    void anAppointmentZocdocDoesNotKnowFailsForGoodLoggedByItsId() throws Exception {
        assertEquals(200, relay.postSigned(Fixtures.thinEvent("ap-gone", Instant.now().toString(), "updated")).statusCode());
        await(() -> {
            try {
                return !deliveries("ap-gone").isEmpty() && deliveries("ap-gone").get(0).state() == DeliveryState.FAILED;
            } catch (Exception e) {
                return false;
            }
        }, "the fetch to fail");
        assertTrue(relay.logText().contains("zocdoc appointment not found appointment_id=ap-gone"), relay.logText());
        assertEquals(0, twilio.messages().size());
    }

    @Test
    void aZocdocOutageIsRetriedNotLost() throws Exception {
        Instant modified = Instant.now().minusSeconds(60);
        booked("ap-3", modified);
        zocdoc.failNext(FakeZocdoc.Fault.SERVICE_UNAVAILABLE, Duration.ofSeconds(1));
        relay.postSigned(Fixtures.thinEvent("ap-3", modified.toString(), "updated"));
        await(() -> {
            try {
                List<DeliveryView> fetch = deliveries("ap-3");
                return !fetch.isEmpty() && fetch.get(0).state() == DeliveryState.PENDING && fetch.get(0).attempts() == 1;
            } catch (Exception e) {
                return false;
            }
        }, "a retry to be planned");
        DeliveryView fetch = one("ap-3", DeliveryKind.FETCH_DETAILS);
        assertTrue(fetch.lastError().contains("503"), fetch.lastError());
        assertFalse(fetch.dueAt().isBefore(Instant.now().minusSeconds(5)), "backs off: not due at once");
    }

    @Test
    void theSweepReadsEveryPageAndItsMarkIsZocdocsNewestChange() throws Exception {
        Instant base = Instant.now().minusSeconds(300);
        for (int i = 0; i < 14; i++) {
            zocdoc.putAppointment(String.format("ap-many-%02d", i), "confirmed", Fixtures.START_TIME, base.minusSeconds(86_400 * 3),
                    base.plusSeconds(i), "pr_1", "Bo", "Ng", "6175550123", null);
        }
        zocdoc.pageSize(1);
        ZocdocSweep.Result first = relay.relay().sweep().runOnce();
        assertEquals(14, first.fed());
        assertFalse(first.cutOff());
        assertEquals(base.plusSeconds(13), first.through(), "Zocdoc's time, not ours");
        assertEquals(0, relay.relay().sweep().runOnce().fed(), "the overlap lists them again; all are held");
    }

    @Test
    void whatTheApiToldIsEncryptedAtRestAndNeverLogged() throws Exception {
        Instant modified = Instant.now().minusSeconds(60);
        booked("ap-4", modified);
        relay.postSigned(Fixtures.thinEvent("ap-4", modified.toString(), "updated"));
        await(() -> textsTo(Fixtures.PHONE_E164) == 1, "the confirmation");
        StringBuilder journal = new StringBuilder();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(clinicrelay.journal.Journal.directoryIn(dataDir))) {
            for (Path file : files.toList()) {
                journal.append(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        String bytes = journal.toString().toLowerCase(Locale.ROOT);
        for (String phi : List.of(Fixtures.FIRST_NAME, Fixtures.LAST_NAME, Fixtures.PHONE_DIGITS, Fixtures.PHONE_E164,
                Fixtures.EMAIL, Fixtures.DATE_OF_BIRTH, "patient note")) {
            assertFalse(bytes.contains(phi.toLowerCase(Locale.ROOT)), "in the journal unencrypted: " + phi);
        }
        assertTrue(bytes.contains("zocdoc-api:ap-4|"), "ids stay readable");
        assertNoPhiOrToken();
    }

    private List<String> storedKeys() throws Exception {
        return relay.storedRecords().stream().map(StoredRecord::key).toList();
    }

    private void assertNoPhiOrToken() {
        String logged = relay.logText().toLowerCase(Locale.ROOT);
        for (String phi : Fixtures.PHI) {
            assertFalse(logged.contains(phi.toLowerCase(Locale.ROOT)), "PHI in the log: " + phi + "\n" + logged);
        }
        assertFalse(logged.contains("patient note"), "the appointment's notes in the log");
        assertFalse(logged.contains("zd-token") || logged.contains(FakeZocdoc.CLIENT_SECRET), "a credential in the log");
    }
}
