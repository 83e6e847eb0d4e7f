package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.EngineInbox;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.journal.WriteFaults;
import clinicrelay.metrics.RelayMetrics;
import clinicrelay.testing.Await;
import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.RawHttp;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity guard: at its limit, new webhooks are refused the way a storage failure is
 * (connection dropped on the Zocdoc routes), duplicates and deliveries already planned
 * carry on, /health and a gauge say why, one log line marks each change, and new events
 * are taken again once there is room.
 */
class CapacityTest {
    @TempDir
    Path dataDir;

    @Test
    void atTheHeapBudgetNewWebhooksAreDroppedWhilePlannedMessagesGoOutThenTakenAgain() throws Exception {
        AtomicBoolean heapOver = new AtomicBoolean();
        // A reminder 2 s before a start 5 s away: due while the relay refuses new events.
        String soon = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(5).withNano(0).toString();
        try (TestRelay relay = TestRelay.start(dataDir, Map.of("DRY_RUN", "true", "REMINDER_OFFSETS", "2s",
                "QUIET_HOURS", "off", "SMS_CONSENT", "assumed"), WriteFaults.NONE, heapOver::get)) {
            byte[] booked = Fixtures.fullEvent("evt-1", "appointment.created", "appt-1", soon).getBytes(StandardCharsets.UTF_8);
            assertEquals(200, relay.postSigned(booked).statusCode());
            heapOver.set(true);

            byte[] refused = Fixtures.fullEventBytes("evt-2", "appointment.created", "appt-2");
            assertEquals("", RawHttp.post(relay.port(), "/webhook", Signing.zocdocV1(TestRelay.SECRET,
                    System.currentTimeMillis() / 1000, refused), refused, 10_000), "dropped, so Zocdoc delivers it again");
            assertEquals("", RawHttp.post(relay.port(), "/webhook", Signing.zocdocV1(TestRelay.SECRET,
                    System.currentTimeMillis() / 1000, refused), refused, 10_000));
            assertEquals("{\"received\":true,\"duplicate\":true}", relay.postSigned(booked).body(), "a duplicate needs no room");
            HttpResponse<String> health = relay.get("/health");
            assertEquals(503, health.statusCode());
            assertTrue(health.body().contains("\"status\":\"degraded\"") && health.body().contains("\"capacity\":\"over: heap\""),
                    health.body());
            assertTrue(relay.get("/metrics").body().contains("clinic_relay_over_capacity 1"));
            Path outbox = relay.dataDir().resolve("outbox.jsonl");
            Await.until("the reminder sent while new events are refused",
                    () -> Files.exists(outbox) && Files.readString(outbox).contains("reminder_sms") && Files.readString(outbox)
                            .lines().anyMatch(line -> line.contains("reminder_sms") && line.contains("\"status\":\"sent\"")));
            assertEquals(1, relay.storedRecords().size(), "nothing refused was stored");

            heapOver.set(false);
            assertEquals("{\"received\":true}", relay.postSigned(refused).body(), "taken again once there is room");
            assertEquals(200, relay.get("/health").statusCode());
            assertTrue(relay.get("/metrics").body().contains("clinic_relay_over_capacity 0"));
            String log = relay.logText();
            assertEquals(1, log.lines().filter(l -> l.contains("WARN over capacity: new events are refused")).count(), log);
            assertEquals(1, log.lines().filter(l -> l.contains("INFO capacity available again")).count(), log);
        }
    }

    @Test
    void aFloodTheEngineHasNotPlannedYetIsRefusedPastItsLimit() {
        CapturedLog log = new CapturedLog(Clock.systemUTC());
        EngineInbox inbox = new EngineInbox();
        CapacityGuard guard = new CapacityGuard(inbox, () -> false, new CapacityLimits(3, 0.85), new RelayMetrics(), log.log());
        for (int i = 0; i < 3; i++) {
            inbox.stored(AppointmentEvent.builder("zocdoc", EventShape.FULL, EventType.CREATED).eventId("e" + i).build(),
                    Instant.EPOCH, "zocdoc:e" + i, -1);
            assertNull(guard.refusal(), "within the limit");
        }
        inbox.stored(AppointmentEvent.builder("zocdoc", EventShape.FULL, EventType.CREATED).eventId("e3").build(),
                Instant.EPOCH, "zocdoc:e3", -1);
        assertEquals("engine backlog", guard.refusal());
        assertTrue(log.text().contains("WARN over capacity") && log.text().contains("reason=\"engine backlog\""), log.text());
    }
}
