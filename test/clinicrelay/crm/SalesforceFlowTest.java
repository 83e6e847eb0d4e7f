package clinicrelay.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.json.JsonObject;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.testing.Await;
import clinicrelay.testing.FakeSalesforce;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.MutableClock;
import clinicrelay.testing.TestRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRM sync on a real relay: webhooks in, a local Salesforce org out. Each change of an
 * appointment is a durable step (journaled, retried, dead-lettered, retriable) that files it
 * as one Task on the patient's Contact; SMS consent does not apply; nothing is made twice;
 * no patient data in the log.
 */
class SalesforceFlowTest {
    @TempDir
    Path dataDir;

    private static Map<String, String> env(FakeSalesforce org) {
        Map<String, String> env = new HashMap<>(org.env());
        env.put("CLINIC_TIMEZONE", "America/New_York");
        return env;
    }

    private static List<DeliveryView> crmSteps(TestRelay relay) throws Exception {
        return relay.relay().engine().snapshot().get(10, TimeUnit.SECONDS).stream()
                .filter(d -> d.kind() == DeliveryKind.CRM_SYNC).toList();
    }

    private static void settledCrm(TestRelay relay, int sent) throws Exception {
        Await.until(sent + " CRM steps done", () -> crmSteps(relay).stream().filter(d -> d.state() == DeliveryState.SENT).count() == sent);
    }

    @Test
    void appointmentsAreFiledAsOneTaskEachOnOneContactAndFollowEveryChange() throws Exception {
        try (FakeSalesforce org = FakeSalesforce.start(); TestRelay relay = TestRelay.start(dataDir, env(org), java.time.Clock.systemUTC())) {
            byte[] created = Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1");
            assertEquals(200, relay.postSigned(created).statusCode());
            settledCrm(relay, 1);
            assertEquals(1, org.contacts().size());
            assertEquals(1, org.tasks().size());
            JsonObject contact = org.contacts().values().iterator().next();
            assertEquals(Fixtures.FIRST_NAME, contact.string("FirstName"));
            assertEquals(Fixtures.PHONE_E164, contact.string("MobilePhone"));
            assertFalse(contact.toString().contains(Fixtures.DATE_OF_BIRTH), "minimum necessary: no date of birth");
            JsonObject task = org.tasks().values().iterator().next();
            assertEquals("Appointment with Dr. Jane Smith [ref appt-1]", task.string("Subject"));
            for (String never : List.of(Fixtures.VISIT_REASON, Fixtures.INSURANCE, Fixtures.DATE_OF_BIRTH)) {
                assertFalse(task.toString().contains(never), "never sent to the CRM: " + never);
            }

            int calls = org.calls().size();
            assertEquals(200, relay.postSigned(created).statusCode(), "the same webhook again");
            relay.settle();
            assertEquals(calls, org.calls().size(), "a duplicate does nothing");

            relay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.created", "appt-2"));
            settledCrm(relay, 2);
            assertEquals(1, org.contacts().size(), "a returning patient keeps their Contact");
            assertEquals(2, org.tasks().size());

            String moved = OffsetDateTime.parse(Fixtures.START_TIME).plusDays(7).toString();
            int beforeMove = org.calls().size();
            relay.postSigned(Fixtures.fullEvent("evt-3", "appointment.updated", "appt-1", moved).getBytes(StandardCharsets.UTF_8));
            settledCrm(relay, 3);
            assertEquals(List.of("PATCH"), org.calls().subList(beforeMove, org.calls().size()).stream()
                    .map(FakeSalesforce.Call::method).toList(), "the Task id journaled by the first sync: one PATCH, no lookup");
            relay.postSigned(Fixtures.fullEvent("evt-4", "appointment.cancelled", "appt-1", moved).getBytes(StandardCharsets.UTF_8));
            Await.until("the cancellation filed", () -> org.tasks().values().stream()
                    .anyMatch(t -> t.string("Subject").startsWith("Cancelled: ")));
            assertEquals(2, org.tasks().size(), "moved and cancelled: the same Task, updated");
            JsonObject updated = org.tasks().values().stream().filter(t -> t.string("Subject").endsWith("[ref appt-1]"))
                    .findFirst().orElseThrow();
            assertEquals(OffsetDateTime.parse(moved).toLocalDate().toString(), updated.string("ActivityDate"));
            assertEquals("Completed", updated.string("Status"));
            for (String phi : Fixtures.PHI) {
                assertFalse(relay.logText().contains(phi), "patient data in the log: " + phi);
            }
        }
    }

    @Test
    void consentDoesNotApplyButFailuresAreRetriedShownAndRetriable() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (FakeSalesforce org = FakeSalesforce.start()) {
            Map<String, String> env = env(org);
            env.put("SMS_CONSENT", "required");
            try (TestRelay relay = TestRelay.start(dataDir, env, clock)) {
                Await.until("the start-up check done", () -> org.calls().stream().anyMatch(c -> c.path().equals("/services/data/")));
                org.failNext(FakeSalesforce.Fault.UNAVAILABLE, Duration.ofSeconds(120));
                String noConsent = Fixtures.fullEvent("evt-1", "appointment.created", "appt-1").replace("\"sms_consent\":true",
                        "\"sms_consent\":false");
                relay.postSigned(noConsent.getBytes(StandardCharsets.UTF_8));
                relay.relay().engine().awaitSettled(10_000);
                Await.until("a retry planned", () -> crmSteps(relay).get(0).attempts() == 1
                        && crmSteps(relay).get(0).state() == DeliveryState.PENDING);
                assertTrue(crmSteps(relay).get(0).dueAt().isAfter(clock.instant().plusSeconds(119)), "not before Retry-After");
                clock.advance(Duration.ofSeconds(121));
                relay.relay().engine().awaitSettled(10_000);
                settledCrm(relay, 1);
                assertEquals(1, org.tasks().size(), "a patient who refused texts still has a CRM record");

                org.loseAnswerOfNextCreate("Task");
                assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.created", "appt-2")).statusCode());
                relay.relay().engine().awaitSettled(10_000);
                clock.advance(Duration.ofSeconds(60)); // the first retry's backoff (30 s ± 25 %); the signatures stay in tolerance
                relay.relay().engine().awaitSettled(10_000);
                settledCrm(relay, 2);
                assertEquals(2, org.tasks().size(), "the Task whose answer was lost is found again, not made twice");

                org.failNext(FakeSalesforce.Fault.INVALID_FIELD);
                assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-3", "appointment.cancelled", "appt-2")).statusCode());
                relay.relay().engine().awaitSettled(10_000);
                DeliveryView failed = Await.until("refused for good", () -> crmSteps(relay).stream()
                        .filter(d -> d.state() == DeliveryState.FAILED).findFirst().orElse(null), d -> d != null);
                assertEquals("salesforce http 400 INVALID_FIELD", failed.lastError(), "the errorCode, for the operator");
                assertTrue(relay.relay().engine().retry(failed.id()).get(5, TimeUnit.SECONDS), "the operator retries it");
                relay.relay().engine().awaitSettled(10_000);
                Await.until("the retry went through", () -> org.tasks().values().stream()
                        .anyMatch(t -> t.string("Subject").startsWith("Cancelled: ")));
                for (String phi : Fixtures.PHI) {
                    assertFalse(relay.logText().contains(phi), "patient data in the log on a failure path: " + phi);
                }
                assertFalse(relay.logText().contains("00Dfake") || relay.logText().contains(FakeSalesforce.CLIENT_SECRET),
                        "never the token or the secret");
            }
        }
    }

    @Test
    void aRetiredApiVersionStopsTheCrmWithALineNamingTheSetting() throws Exception {
        try (FakeSalesforce org = FakeSalesforce.start()) {
            Map<String, String> env = env(org);
            env.put("SALESFORCE_API_VERSION", "v58.0");
            try (TestRelay relay = TestRelay.start(dataDir, env, java.time.Clock.systemUTC())) {
                relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1"));
                Await.until("stopped", () -> relay.logText().contains("SALESFORCE_API_VERSION is retired"));
                relay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.created", "appt-2"));
                Await.until("both failed", () -> crmSteps(relay).stream().filter(d -> d.state() == DeliveryState.FAILED).count() == 2);
                assertTrue(org.tasks().isEmpty());
                for (String phi : Fixtures.PHI) {
                    assertFalse(relay.logText().contains(phi), "patient data in the log: " + phi);
                }
            }
        }
    }

    @Test
    void severalMatchingContactsUseTheOldestAndAreCountedAndCrmStepsAreInMetrics() throws Exception {
        try (FakeSalesforce org = FakeSalesforce.start()) {
            String oldest = org.addContact(Fixtures.EMAIL, null, "2019-01-01T00:00:00Z");
            org.addContact(Fixtures.EMAIL, null, "2023-01-01T00:00:00Z");
            try (TestRelay relay = TestRelay.start(dataDir, env(org), java.time.Clock.systemUTC())) {
                relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1"));
                settledCrm(relay, 1);
                assertEquals(oldest, org.tasks().values().iterator().next().string("WhoId"));
                assertTrue(relay.logText().contains("several Contacts match") && relay.logText().contains("contact " + oldest),
                        "logged with the id only");
                String metrics = relay.get("/metrics").body();
                assertTrue(metrics.contains("clinic_relay_crm_several_contacts_total 1"), metrics);
                assertTrue(metrics.contains("clinic_relay_deliveries_total{channel=\"crm\",outcome=\"sent\"} 1"), metrics);
                for (String phi : Fixtures.PHI) {
                    assertFalse(relay.logText().contains(phi) || metrics.contains(phi), "patient data: " + phi);
                }
            }
        }
    }

    @Test
    void aDayOfTheOrgsApiLimitDoesNotUseUpTheStep() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (FakeSalesforce org = FakeSalesforce.start(); TestRelay relay = TestRelay.start(dataDir, env(org), clock)) {
            Await.until("the start-up check done", () -> org.calls().stream().anyMatch(c -> c.path().equals("/services/data/")));
            int limited = 12; // twelve hours of 403 REQUEST_LIMIT_EXCEEDED, an hour's wait each
            for (int i = 0; i < limited; i++) {
                org.failNext(FakeSalesforce.Fault.LIMIT);
            }
            relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1"));
            for (int attempt = 1; attempt <= limited; attempt++) {
                int tried = attempt;
                Await.until("attempt " + tried, () -> crmSteps(relay).get(0).attempts() == tried
                        && crmSteps(relay).get(0).state() == DeliveryState.PENDING);
                assertTrue(crmSteps(relay).get(0).dueAt().isAfter(clock.instant().plus(Duration.ofMinutes(59))), "an hour's wait");
                clock.advance(Duration.ofMinutes(80)); // past the hour and any backoff jitter (at most 75 min)
                relay.relay().engine().awaitSettled(10_000);
            }
            Await.until("filed once the limit lifted", () -> org.tasks().size() == 1);
        }
    }

    @Test
    void aProviderChangeReachesTheTask() throws Exception {
        try (FakeSalesforce org = FakeSalesforce.start(); TestRelay relay = TestRelay.start(dataDir, env(org),
                java.time.Clock.systemUTC())) {
            relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1"));
            settledCrm(relay, 1);
            String reassigned = Fixtures.fullEvent("evt-2", "appointment.updated", "appt-1")
                    .replace("\"id\":\"pr_1\",\"name\":\"Dr. Jane Smith\"", "\"id\":\"pr_2\",\"name\":\"Dr. Bob Jones\"");
            assertEquals(200, relay.postSigned(reassigned.getBytes(StandardCharsets.UTF_8)).statusCode());
            settledCrm(relay, 2);
            assertEquals("Appointment with Dr. Bob Jones [ref appt-1]", org.tasks().values().iterator().next().string("Subject"));
        }
    }

    @Test
    void aBookingCancelledAtOnceIsOneTaskNotARace() throws Exception {
        try (FakeSalesforce org = FakeSalesforce.start(); TestRelay relay = TestRelay.start(dataDir, env(org),
                java.time.Clock.systemUTC())) {
            org.slowCreates(Duration.ofMillis(300)); // the first step is still making the Task when the second starts
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1")).statusCode());
            assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-2", "appointment.cancelled", "appt-1")).statusCode());
            settledCrm(relay, 2);
            assertEquals(1, org.contacts().size());
            assertEquals(1, org.tasks().size(), "the second step waits for the first: " + org.tasks());
            assertTrue(org.tasks().values().iterator().next().string("Subject").startsWith("Cancelled: "));
        }
    }

    @Test
    void aRefusedClientSecretReachesHealth() throws Exception {
        try (FakeSalesforce org = FakeSalesforce.start()) {
            Map<String, String> env = env(org);
            env.put("SALESFORCE_CLIENT_SECRET", "not-the-secret-of-this-app");
            try (TestRelay relay = TestRelay.start(dataDir, env, java.time.Clock.systemUTC())) {
                for (int i = 1; i <= 3; i++) {
                    relay.postSigned(Fixtures.fullEventBytes("evt-" + i, "appointment.created", "appt-" + i));
                }
                Await.until("three refused", () -> crmSteps(relay).stream().filter(d -> d.state() == DeliveryState.FAILED).count() == 3);
                String health = Await.until("the problem on /health", () -> relay.get("/health").body(),
                        body -> body.contains("crm_sends_refused"));
                assertTrue(health.contains("\"status\":\"degraded\""), health);
                assertTrue(crmSteps(relay).get(0).lastError().startsWith("salesforce token http 400"), "the reason shown");
            }
        }
    }

    @Test
    void aDryRunWritesTheCrmStepsToTheOutbox() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir, Map.of("DRY_RUN", "true", "QUIET_HOURS", "off"),
                java.time.Clock.systemUTC())) {
            relay.postSigned(Fixtures.fullEventBytes("evt-1", "appointment.created", "appt-1"));
            Await.until("the CRM line", () -> Files.exists(dataDir.resolve("outbox.jsonl"))
                    && Files.readString(dataDir.resolve("outbox.jsonl")).contains("\"service\":\"salesforce\""));
            String outbox = Files.readString(dataDir.resolve("outbox.jsonl"));
            assertTrue(outbox.contains("\"status\":\"would sync\"") && outbox.contains("Contact and Task for a booked appointment"),
                    outbox);
            for (String phi : Fixtures.PHI) {
                assertFalse(outbox.contains(phi), "patient data in the outbox line: " + phi);
            }
        }
    }
}
