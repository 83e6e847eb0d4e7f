package clinicrelay.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.MessageChannel;
import clinicrelay.delivery.OutgoingMessage;
import clinicrelay.planning.Channel;
import clinicrelay.testing.FakeTwilio;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production Twilio client against a local fake that speaks Twilio's API. */
class TwilioSmsTest {
    private static final String TO = "+16175550199";
    private FakeTwilio twilio;
    private TwilioSms client;

    @BeforeEach
    void start() throws Exception {
        twilio = FakeTwilio.start();
        client = new TwilioSms(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), twilio.base(),
                FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN, "+15005550006", null, "https://relay.example/twilio/status");
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    private static OutgoingMessage message(String body) {
        return new OutgoingMessage("appt-1|reminder_sms|1796157000|24h", 1, Channel.SMS, TO, null, body);
    }

    @Test
    void sendsAFormPostWithBasicAuthAndReturnsTheSid() throws Exception {
        AttemptResult result = client.send(message("Hello & welcome + 100% ok\nReply STOP to opt out."));
        assertInstanceOf(AttemptResult.Sent.class, result);
        assertTrue(((AttemptResult.Sent) result).providerMessageId().startsWith("SM"));
        Map<String, String> form = twilio.created().get(0);
        assertEquals(TO, form.get("To"));
        assertEquals("+15005550006", form.get("From"));
        assertEquals("Hello & welcome + 100% ok\nReply STOP to opt out.", form.get("Body"));
        assertEquals("https://relay.example/twilio/status?delivery=appt-1%7Creminder_sms%7C1796157000%7C24h",
                form.get("StatusCallback"));
    }

    @Test
    void aMessagingServiceReplacesFrom() throws Exception {
        TwilioSms service = new TwilioSms(HttpClient.newHttpClient(), twilio.base(), FakeTwilio.ACCOUNT_SID,
                FakeTwilio.AUTH_TOKEN, null, "MG123", null);
        service.send(message("x"));
        assertEquals("MG123", twilio.created().get(0).get("MessagingServiceSid"));
        assertNull(twilio.created().get(0).get("From"));
        assertNull(twilio.created().get(0).get("StatusCallback"));
    }

    @Test
    void rateLimitsAreRetriedButServerErrorsLeaveTheOutcomeUnknown() throws Exception {
        twilio.failNext(FakeTwilio.Fault.SERVICE_UNAVAILABLE, Duration.ofSeconds(30));
        AttemptResult busy = client.send(message("x"));
        assertInstanceOf(AttemptResult.Uncertain.class, busy, "a 5xx may come after the message was created");
        assertEquals(Duration.ofSeconds(30), ((AttemptResult.Uncertain) busy).retryAfter());
        twilio.failNext(FakeTwilio.Fault.TOO_MANY_REQUESTS, Duration.ofSeconds(17));
        AttemptResult limited = client.send(message("x"));
        assertInstanceOf(AttemptResult.Retry.class, limited, "a 429 creates nothing");
        assertEquals(Duration.ofSeconds(17), ((AttemptResult.Retry) limited).retryAfter());
        assertInstanceOf(AttemptResult.Sent.class, client.send(message("x")));
    }

    @Test
    void anOptedOutNumberIsAPermanentFailureMarkedAsOptOut() throws Exception {
        twilio.optOut(TO);
        AttemptResult result = client.send(message("x"));
        assertInstanceOf(AttemptResult.Failed.class, result);
        assertTrue(((AttemptResult.Failed) result).optedOut());
        assertTrue(((AttemptResult.Failed) result).reason().contains("21610"));
    }

    @Test
    void otherClientErrorsArePermanentAndNotOptOuts() throws Exception {
        TwilioSms wrongToken = new TwilioSms(HttpClient.newHttpClient(), twilio.base(), FakeTwilio.ACCOUNT_SID, "wrong",
                "+15005550006", null, null);
        AttemptResult result = wrongToken.send(message("x"));
        assertInstanceOf(AttemptResult.Failed.class, result);
        assertTrue(!((AttemptResult.Failed) result).optedOut());
    }

    @Test
    void aConnectionDroppedAfterTheRequestLeavesTheOutcomeUnknown() throws Exception {
        twilio.failNext(FakeTwilio.Fault.DROP_AFTER_CREATE);
        assertInstanceOf(AttemptResult.Uncertain.class, client.send(message("x")));
        assertEquals(1, twilio.messages().size(), "Twilio did create it: resending blindly would text twice");
    }

    @Test
    void aConnectionNeverMadeIsAPlainRetry() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TwilioSms nowhere = new TwilioSms(HttpClient.newHttpClient(), java.net.URI.create("http://127.0.0.1:" + closedPort),
                FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN, "+15005550006", null, null);
        assertInstanceOf(AttemptResult.Retry.class, nowhere.send(message("x")), "nothing reached Twilio");
    }

    @Test
    void reconciliationFindsAMessageByRecipientAndTextSinceTheAttempt() throws Exception {
        Instant attempt = Instant.now();
        twilio.failNext(FakeTwilio.Fault.DROP_AFTER_CREATE);
        client.send(message("Reminder: Tue at 3:30 PM"));
        assertTrue(client.findSent(message("Reminder: Tue at 3:30 PM"), attempt, java.util.Set.of()).startsWith("SM"));
        assertNull(client.findSent(message("Another text"), attempt, java.util.Set.of()));
        assertNull(client.findSent(message("Reminder: Tue at 3:30 PM"), attempt.plusSeconds(3600), java.util.Set.of()),
                "a message older than the attempt (minus clock skew) is not ours");
    }

    @Test
    void reconciliationSkipsMessagesAlreadyClaimedAndRefusesToGuessWithoutTheText() throws Exception {
        Instant attempt = Instant.now();
        client.send(message("Your visit on Tue at 3:30 PM is confirmed"));
        String first = client.findSent(message("Your visit on Tue at 3:30 PM is confirmed"), attempt, java.util.Set.of());
        assertNull(client.findSent(message("Your visit on Tue at 3:30 PM is confirmed"), attempt, java.util.Set.of(first)),
                "an identical earlier text (a confirmation before a rebooking) belongs to another delivery");
        OutgoingMessage scrubbed = new OutgoingMessage("appt-1|confirmation_sms|1|e1", 1, Channel.SMS, null, null, null);
        assertThrows(MessageChannel.ReconcileException.class, () -> client.findSent(scrubbed, attempt, java.util.Set.of()));
    }

    @Test
    void reconciliationFollowsTwiliosNextPageUriToAMessageBeyondTheFirstPage() throws Exception {
        Instant attempt = Instant.now();
        twilio.failNext(FakeTwilio.Fault.DROP_AFTER_CREATE);
        client.send(message("The lost one"));
        for (int i = 0; i < TwilioSms.PAGE_SIZE + 5; i++) {
            client.send(message("Later text " + i)); // newer, so the lost one is on the second page
        }
        assertTrue(client.findSent(message("The lost one"), attempt, java.util.Set.of()).startsWith("SM"));
        assertTrue(twilio.listPagesServed() >= 2, "the second page was read through next_page_uri");
    }

    @Test
    void aNextPageUriOnAnotherHostIsNotFollowedWithTheCredentials() throws Exception {
        com.sun.net.httpserver.HttpServer elsewhere = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.List<String> leaked = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        elsewhere.createContext("/", exchange -> {
            leaked.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        elsewhere.start();
        try {
            twilio.nextPageOn("http://127.0.0.1:" + elsewhere.getAddress().getPort());
            Instant attempt = Instant.now();
            for (int i = 0; i < TwilioSms.PAGE_SIZE + 5; i++) {
                client.send(message("Text " + i));
            }
            assertThrows(MessageChannel.ReconcileException.class,
                    () -> client.findSent(message("Never sent"), attempt, java.util.Set.of()),
                    "a page it will not read: it cannot tell, so it must not conclude 'not sent'");
            assertEquals(java.util.List.of(), leaked, "the account SID and token never went to another host");
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void anOversizedAnswerIsNotReadWholeAndLeavesTheOutcomeUnknown() throws Exception {
        twilio.failNext(FakeTwilio.Fault.OVERSIZED_ANSWER);
        AttemptResult result = client.send(message("Hello"));
        assertTrue(result instanceof AttemptResult.Uncertain uncertain && uncertain.reason().startsWith("twilio network"),
                "8 MiB is no Twilio answer: not read whole, the outcome unknown: " + result);
        assertEquals(1, twilio.messagesTo(TO), "it may have been created: a check looks before sending again");
    }

    @Test
    void reconciliationThatWouldReadTooManyPagesCannotTell() throws Exception {
        Instant attempt = Instant.now();
        for (int i = 0; i < TwilioSms.PAGE_SIZE * TwilioSms.RECONCILE_PAGES_MAX + 1; i++) {
            client.send(message("Text " + i));
        }
        assertThrows(MessageChannel.ReconcileException.class,
                () -> client.findSent(message("Never sent"), attempt, java.util.Set.of()),
                "more messages than a check reads: it must not conclude 'not sent'");
    }
}
