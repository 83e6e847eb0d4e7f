package clinicrelay.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.SalesforceSettings;
import clinicrelay.json.JsonObject;
import clinicrelay.testing.FakeSalesforce;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CRM sync against a local Salesforce org that speaks the REST API (token, query,
 * sobjects, error arrays): one Contact and one Task per new patient, the same Contact for a
 * returning one, the same Task updated on every change, nothing made twice when an answer
 * is lost, and Salesforce's errors turned into what the job should do.
 */
class CrmSyncTest {
    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final OffsetDateTime START = OffsetDateTime.parse("2026-12-10T15:30:00-05:00");
    private static final CrmSync.Patient PATIENT = new CrmSync.Patient("Ann", "O'Hara", "ann.o'hara+clinic@example.com",
            "+16175550199");

    private FakeSalesforce org;
    private SalesforceApi api;
    private CrmSync sync;

    @BeforeEach
    void start() throws Exception {
        org = FakeSalesforce.start();
        api = new SalesforceApi(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), settings("v62.0"));
        sync = new CrmSync(api, settings("v62.0"));
    }

    @AfterEach
    void stop() {
        org.close();
    }

    private SalesforceSettings settings(String version) {
        return new SalesforceSettings(org.base(), FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET, version,
                SalesforceSettings.DEFAULT_TASK_STATUS, SalesforceSettings.DEFAULT_TASK_SUBJECT);
    }

    private static CrmSync.Visit visit(String id, CrmSync.Standing standing, OffsetDateTime start) {
        return new CrmSync.Visit(id, standing, start, ZONE, "Dr. Jane Smith", "Elm Street Clinic");
    }

    @Test
    void aNewPatientGetsOneContactAndOneTaskWithTheMinimumNecessary() throws Exception {
        CrmSync.Synced synced = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null);
        assertTrue(synced.taskCreated());
        assertEquals(1, org.contacts().size());
        JsonObject contact = org.contacts().get(synced.contactId());
        assertEquals("O'Hara", contact.string("LastName"));
        assertEquals("ann.o'hara+clinic@example.com", contact.string("Email"), "a quote and a plus survive the round trip");
        JsonObject task = org.tasks().get(synced.taskId());
        assertEquals(synced.contactId(), task.string("WhoId"));
        assertEquals("Appointment with Dr. Jane Smith [ref appt-1]", task.string("Subject"));
        assertEquals("2026-12-10", task.string("ActivityDate"));
        assertEquals("Not Started", task.string("Status"));
        assertEquals("Appointment appt-1\nStarts: 2026-12-10 15:30 (America/New_York)\nProvider: Dr. Jane Smith\n"
                + "Location: Elm Street Clinic\nStatus: booked", task.string("Description"));
        assertEquals(6, org.calls().size() + org.tokensIssued(), "token, task lookup, e-mail and phone lookups, two creates: "
                + org.calls());
    }

    @Test
    void aReturningPatientKeepsTheirContactAndGetsASecondTask() throws Exception {
        CrmSync.Synced first = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null);
        int before = org.calls().size();
        CrmSync.Synced second = sync.sync(visit("appt-2", CrmSync.Standing.BOOKED, START.plusDays(30)), PATIENT, null);
        assertEquals(first.contactId(), second.contactId());
        assertEquals(2, org.tasks().size());
        assertEquals(3, org.calls().size() - before, "task lookup, e-mail lookup, one create");
    }

    @Test
    void aRescheduleOrACancellationUpdatesTheSameTask() throws Exception {
        CrmSync.Synced booked = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null);
        int before = org.calls().size();
        CrmSync.Synced moved = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START.plusDays(7)), PATIENT, null);
        assertEquals(booked.taskId(), moved.taskId());
        assertFalse(moved.taskCreated());
        assertEquals(2, org.calls().size() - before, "found by its marker, then one PATCH");
        assertEquals("2026-12-17", org.tasks().get(booked.taskId()).string("ActivityDate"));
        before = org.calls().size();
        sync.sync(visit("appt-1", CrmSync.Standing.CANCELLED, START.plusDays(7)), PATIENT, booked.taskId());
        assertEquals(1, org.calls().size() - before, "with its id known: one PATCH");
        JsonObject task = org.tasks().get(booked.taskId());
        assertEquals("Cancelled: Appointment with Dr. Jane Smith [ref appt-1]", task.string("Subject"));
        assertEquals("Completed", task.string("Status"));
        assertEquals(1, org.tasks().size(), "never a second Task");
    }

    @Test
    void aContactCreateWhoseAnswerWasLostIsFoundByEmailNotMadeAgain() throws Exception {
        org.loseAnswerOfNextCreate("Contact");
        SalesforceException lost = assertThrows(SalesforceException.class,
                () -> sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null));
        assertEquals(SalesforceException.Kind.UNCERTAIN, lost.kind(), "the Contact may exist: look before making it");
        assertEquals(1, org.contacts().size(), "it was made");
        CrmSync.Synced again = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null);
        assertEquals(1, org.contacts().size(), "found by e-mail, not made again");
        assertEquals(org.contacts().keySet().iterator().next(), again.contactId());
        assertEquals(1, org.tasks().size());
    }

    @Test
    void aTaskCreateWhoseAnswerWasLostIsFoundByItsMarker() throws Exception {
        org.loseAnswerOfNextCreate("Task");
        assertEquals(SalesforceException.Kind.UNCERTAIN, assertThrows(SalesforceException.class,
                () -> sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null)).kind());
        assertEquals(1, org.tasks().size());
        CrmSync.Synced again = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null);
        assertFalse(again.taskCreated(), "found by its marker and updated");
        assertEquals(1, org.tasks().size(), "never a second Task");
        assertEquals(1, org.contacts().size());
    }

    @Test
    void aKnownTaskDeletedInSalesforceIsFiledAgainNotFailed() throws Exception {
        CrmSync.Synced again = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, "00T999999999999999");
        assertTrue(again.taskCreated(), "the journaled Task is gone (404): looked for by marker, then made");
        assertEquals(1, org.tasks().size());
    }

    @Test
    void salesforceErrorsBecomeWhatTheJobShouldDo() throws Exception {
        sync.findTask("warm-up");
        org.failNext(FakeSalesforce.Fault.SESSION_EXPIRED);
        assertNull(sync.findTask("appt-x"), "a 401 renews the token once and the call goes through");
        assertEquals(2, org.tokensIssued());
        org.failNext(FakeSalesforce.Fault.UNAVAILABLE, Duration.ofSeconds(30));
        SalesforceException unavailable = assertThrows(SalesforceException.class, () -> sync.findTask("appt-x"));
        assertEquals(SalesforceException.Kind.RETRY, unavailable.kind());
        assertEquals(Duration.ofSeconds(30), unavailable.retryAfter());
        org.failNext(FakeSalesforce.Fault.INVALID_FIELD);
        SalesforceException invalid = assertThrows(SalesforceException.class,
                () -> sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null));
        assertEquals(SalesforceException.Kind.PERMANENT, invalid.kind());
        assertEquals("INVALID_FIELD", invalid.errorCode());
        assertEquals("salesforce http 400 INVALID_FIELD", invalid.getMessage());
        org.failNext(FakeSalesforce.Fault.LIMIT);
        SalesforceException limit = assertThrows(SalesforceException.class, () -> sync.findTask("appt-x"));
        assertEquals(SalesforceException.Kind.LIMIT, limit.kind());
        assertEquals(Duration.ofHours(1), limit.retryAfter());
        SalesforceException gone = assertThrows(SalesforceException.class, () -> new CrmSync(new SalesforceApi(
                HttpClient.newHttpClient(), settings("v58.0")), settings("v58.0")).findTask("appt-x"));
        assertEquals(SalesforceException.Kind.GONE, gone.kind());
    }

    @Test
    void twoMatchingContactsUseTheOldestAndSayHowMany() throws Exception {
        String older = org.addContact(PATIENT.email(), null, "2020-01-01T00:00:00Z");
        org.addContact(PATIENT.email(), null, "2024-01-01T00:00:00Z");
        CrmSync.Synced synced = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START), PATIENT, null);
        assertEquals(older, synced.contactId());
        assertEquals(2, synced.contactsMatching());
    }

    @Test
    void aPatientWithoutAnEmailIsFoundByMobilePhoneInEitherForm() throws Exception {
        String byPhone = org.addContact(null, "6175550199", "2021-05-01T00:00:00Z");
        CrmSync.Synced synced = sync.sync(visit("appt-1", CrmSync.Standing.BOOKED, START),
                new CrmSync.Patient("Ann", "O'Hara", null, "+16175550199"), null);
        assertEquals(byPhone, synced.contactId());
    }

    @Test
    void aPatientWithNeitherEmailNorPhoneIsRefusedNotFiledOnAGuess() throws Exception {
        SalesforceException refused = assertThrows(SalesforceException.class, () -> sync.sync(
                visit("appt-1", CrmSync.Standing.BOOKED, START), new CrmSync.Patient("Ann", "Hara", null, null), null));
        assertEquals("NO_CONTACT_KEY", refused.errorCode(), "a retry after a lost answer would make a second Contact");
        assertTrue(org.contacts().isEmpty());
    }

    @Test
    void aTokenAnswerNamingAnotherOrgIsRefused() throws Exception {
        org.answerInstanceUrl("https://attacker-dev-ed.develop.my.salesforce.com"); // a free org anyone can have
        SalesforceException refused = assertThrows(SalesforceException.class, () -> api.checkCredentials());
        assertEquals(SalesforceException.Kind.PERMANENT, refused.kind());
        assertFalse(refused.getMessage().contains("00Dfake"), "never the token");
    }
}
