package clinicrelay.zocdoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.config.ZocdocEnvironment;
import clinicrelay.testing.FakeZocdoc;
import clinicrelay.testing.MutableClock;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production Zocdoc client against a local fake of the partner API. */
class ZocdocApiTest {
    private static final Instant NOW = Instant.parse("2026-11-27T15:00:00Z");
    private FakeZocdoc zocdoc;
    private MutableClock clock;
    private ZocdocApi api;

    @BeforeEach
    void start() throws Exception {
        zocdoc = FakeZocdoc.start();
        clock = new MutableClock(NOW);
        api = client(FakeZocdoc.CLIENT_SECRET);
        zocdoc.putAppointment("ap-1", "confirmed", "2026-12-01T15:30:00-05:00", NOW.minusSeconds(60), NOW.minusSeconds(30),
                "pr_1", "Ana", "Lee", "6175550199", "ana@example.com");
    }

    private ZocdocApi client(String secret) {
        ZocdocEnvironment environment = ZocdocEnvironment.SANDBOX.withOverrides(zocdoc.tokenUrl(), zocdoc.base());
        return new ZocdocApi(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), environment,
                FakeZocdoc.CLIENT_ID, secret, clock);
    }

    @AfterEach
    void stop() {
        zocdoc.close();
    }

    @Test
    void oneTokenServesManyCallsUntilShortlyBeforeItExpires() throws Exception {
        assertEquals("confirmed", api.appointment("ap-1").string("appointment_status"));
        assertEquals("Ana", api.participants("ap-1").object("patient").string("first_name"));
        api.appointment("ap-1");
        assertEquals(1, zocdoc.tokensIssued());
        clock.set(NOW.plus(Duration.ofDays(1)).minus(ZocdocToken.REFRESH_MARGIN));
        api.appointment("ap-1");
        assertEquals(2, zocdoc.tokensIssued(), "renewed before it expires, not after a failure");
    }

    @Test
    void anAbsurdTokenLifetimeIsTakenAsADayNotAnOverflow() throws Exception {
        zocdoc.tokenLifetimeSeconds(99_999_999_999_999_999L);
        api.appointment("ap-1");
        clock.set(NOW.plus(ZocdocToken.LIFETIME_MAX));
        api.appointment("ap-1");
        assertEquals(2, zocdoc.tokensIssued(), "renewed within a day, whatever expires_in said");
    }

    @Test
    void aRefusedTokenIsRenewedOnceAndTheCallSucceeds() throws Exception {
        api.appointment("ap-1");
        zocdoc.revokeTokens();
        assertEquals("confirmed", api.appointment("ap-1").string("appointment_status"));
        assertEquals(2, zocdoc.tokensIssued());
    }

    @Test
    void refusedCredentialsAreRetriedLaterAndNeverQuoted() {
        ZocdocApiException refused = assertThrows(ZocdocApiException.class, () -> client("wrong-secret-0123456789").appointment("ap-1"));
        assertEquals(ZocdocApiException.Kind.RETRY, refused.kind());
        assertEquals("zocdoc token http 401", refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong-secret"));
    }

    @Test
    void notFoundIsPermanentRateLimitsAndOutagesAreRetriedWithRetryAfter() throws Exception {
        ZocdocApiException missing = assertThrows(ZocdocApiException.class, () -> api.appointment("ap-unknown"));
        assertEquals(ZocdocApiException.Kind.NOT_FOUND, missing.kind());
        zocdoc.failNext(FakeZocdoc.Fault.TOO_MANY_REQUESTS, Duration.ofSeconds(20));
        ZocdocApiException limited = assertThrows(ZocdocApiException.class, () -> api.appointment("ap-1"));
        assertEquals(ZocdocApiException.Kind.RETRY, limited.kind());
        assertEquals(Duration.ofSeconds(20), limited.retryAfter());
        zocdoc.failNext(FakeZocdoc.Fault.SERVICE_UNAVAILABLE);
        assertEquals(ZocdocApiException.Kind.RETRY, assertThrows(ZocdocApiException.class, () -> api.appointment("ap-1")).kind());
        zocdoc.failNext(FakeZocdoc.Fault.BAD_REQUEST);
        assertEquals(ZocdocApiException.Kind.PERMANENT, assertThrows(ZocdocApiException.class, () -> api.appointment("ap-1")).kind());
        assertFalse(limited.getMessage().contains("zd-token"), "a token never appears in a reason");
    }

    @Test
    void theListIsReadOldestChangeFirstPageByPage() throws Exception {
        for (int i = 2; i <= 5; i++) {
            zocdoc.putAppointment("ap-" + i, "confirmed", "2026-12-01T15:30:00-05:00", NOW, NOW.plusSeconds(i),
                    "pr_1", "Bo", "Ng", "6175550123", null);
        }
        zocdoc.pageSize(2);
        ZocdocApi.Page first = api.modifiedSince(NOW.minusSeconds(3600), 0);
        assertEquals(2, first.appointments().size());
        assertEquals("ap-1", first.appointments().get(0).string("appointment_id"));
        assertTrue(first.more());
        ZocdocApi.Page third = api.modifiedSince(NOW.minusSeconds(3600), 2);
        assertEquals("ap-5", third.appointments().get(0).string("appointment_id"));
        assertFalse(third.more());
        assertTrue(zocdoc.requests().get(0).contains("sort_by=last_modified_time_utc&sort_direction=ascending"),
                zocdoc.requests().get(0));
        assertEquals(0, api.modifiedSince(NOW.plusSeconds(3600), 0).appointments().size());
    }

    @Test
    void idsThatCouldLeaveTheirPathAreNeverSent() {
        for (String id : new String[] {"..", ".", "a/b", "a?b", "a b", ""}) {
            ZocdocApiException refused = assertThrows(ZocdocApiException.class, () -> api.appointment(id), id);
            assertEquals(ZocdocApiException.Kind.PERMANENT, refused.kind());
        }
        assertTrue(zocdoc.requests().isEmpty(), zocdoc.requests().toString());
    }

    @Test
    void providerNamesComeFromTheFileThenTheApiThenNothing() throws Exception {
        zocdoc.nameProvider("pr_2", "Dr. Omar Haddad");
        ProviderNames names = new ProviderNames(java.util.Map.of("pr_1", "Dr. Jane Smith"), api, clock);
        assertEquals("Dr. Jane Smith", names.nameFor("pr_1", "pr_1|lo_1"));
        assertEquals("Dr. Omar Haddad", names.nameFor("pr_2", "pr_2|lo_1"));
        assertEquals("Dr. Omar Haddad", names.nameFor("pr_2", "pr_2|lo_1"));
        assertEquals(1, zocdoc.requests().stream().filter(r -> r.contains("provider_locations")).count(), "cached");
        assertNull(names.nameFor("pr_3", "pr_3|lo_1"), "unknown: the message says \"your provider\"");
        assertNull(new ProviderNames(java.util.Map.of(), null, clock).nameFor("pr_2", "pr_2|lo_1"));
    }

    @Test
    void theSandboxMockWebhookIsRequestedWithUrlKeyAndType() throws Exception {
        api.mockWebhook("https://relay.example/webhook", "g9Y9hjTUk9KKH7ffBRbtRmJYo2OISsdMK4flbfDa3zR=", "cancelled");
        assertEquals("https://relay.example/webhook", zocdoc.mockRequests().get(0).string("webhook_url"));
        assertEquals("cancelled", zocdoc.mockRequests().get(0).string("appointment_update_type"));
    }

    @Test
    void theProvidersFileIsReadLineByLineAndABadLineIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("providers.txt");
        java.nio.file.Files.writeString(file, "# our providers\npr_1 = Dr. Jane Smith\n\npr_2=Omar Haddad, NP\n");
        assertEquals(java.util.Map.of("pr_1", "Dr. Jane Smith", "pr_2", "Omar Haddad, NP"), ProviderNames.readFile(file));
        java.nio.file.Files.writeString(file, "pr_1=Dr. Jane Smith\njust a name\n");
        java.io.IOException bad = assertThrows(java.io.IOException.class, () -> ProviderNames.readFile(file));
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
    }
}
