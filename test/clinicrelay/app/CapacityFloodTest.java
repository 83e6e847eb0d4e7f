package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.StoredRecord;
import clinicrelay.testing.Await;
import clinicrelay.testing.ChildRelay;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.RawHttp;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar in a small heap with the production flags, flooded with signed events for
 * future appointments faster than it plans them: it refuses what it has no room for
 * (connections dropped, as for a storage failure), never runs out of memory, loses no
 * acknowledged event (checked after a SIGKILL), and takes events again once the flood
 * has passed.
 */
class CapacityFloodTest {
    private static final List<String> SMALL_HEAP = List.of("-XX:+UseSerialGC", "-Xmx32m", "-Xss512k",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
    private static final int EVENTS = 6_000;
    private static final int CLIENTS = 16;

    @TempDir
    Path dataDir;

    @Test
    void aFloodIsRefusedInPartWithoutRunningOutOfMemoryOrLosingAnAcknowledgedEvent() throws Exception {
        Map<String, String> env = Map.of("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "DATA_DIR", dataDir.toString(),
                "PORT", "0", "DRY_RUN", "true", "QUIET_HOURS", "off", "SMS_CONSENT", "assumed",
                "CAPACITY_UNPLANNED_MAX", "100");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        try (ChildRelay relay = ChildRelay.start(SMALL_HEAP, env, "serve")) {
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            AtomicInteger next = new AtomicInteger();
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < EVENTS; i = next.getAndIncrement()) {
                        String id = "flood-" + i;
                        String answer = post(relay.port(), id, "appt-" + i);
                        if (answer.contains("{\"received\":true}")) {
                            acknowledged.add("zocdoc:" + id);
                        } else if (answer.isEmpty() || answer.startsWith("HTTP/1.1 503")) {
                            refused.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(120, TimeUnit.SECONDS), "the flood finished");
            assertTrue(relay.isAlive(), "still running: no OutOfMemoryError, no dead thread\n" + relay.output());
            assertTrue(refused.get() > 0, "the flood went past the budget: some events refused (acknowledged "
                    + acknowledged.size() + ")");
            assertEquals(0, other.get(), "every answer was an acknowledgement or a refusal");
            assertTrue(relay.output().contains("WARN over capacity: new events are refused"), relay.output());

            Await.until("capacity available again once the flood has passed",
                    () -> RawHttp.get(relay.port(), "/health", 5_000).contains("\"capacity\":\"ok\""));
            assertTrue(post(relay.port(), "after-the-flood", "appt-after").contains("{\"received\":true}"),
                    "new events are taken again");
            acknowledged.add("zocdoc:after-the-flood");
            assertFalse(relay.output().contains("OutOfMemoryError"), relay.output());
            relay.kill(); // SIGKILL: only what was forced before each acknowledgement survives
        }
        Set<String> stored = TestRelay.readJournal(dataDir).stream().map(StoredRecord::key).collect(Collectors.toSet());
        Set<String> lost = acknowledged.stream().filter(key -> !stored.contains(key)).collect(Collectors.toSet());
        assertTrue(lost.isEmpty(), "acknowledged and not stored: " + lost);
        assertEquals(EVENTS + 1, acknowledged.size() + refused.get(), "every event was answered one way or the other");
    }

    private static String post(int port, String eventId, String appointmentId) throws IOException {
        byte[] body = Fixtures.fullEvent(eventId, "appointment.created", appointmentId).getBytes(StandardCharsets.UTF_8);
        return RawHttp.post(port, "/webhook", Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, body),
                body, 30_000);
    }
}
