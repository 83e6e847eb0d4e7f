package clinicrelay.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.Await;
import clinicrelay.testing.ChildRelay;
import clinicrelay.testing.FakeWebhookReceiver;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay killed with SIGKILL in the middle of forwarding: after the restart the receiver
 * has every event, first seen in journal order, and anything it got twice came with the
 * same webhook-id both times (so it deduped it).
 */
class ForwardCrashTest {
    private static final int EVENTS = 30;

    @TempDir
    Path dataDir;

    @Test
    void noGapAndOnlySameIdDuplicatesAcrossSigkill() throws Exception {
        try (FakeWebhookReceiver receiver = FakeWebhookReceiver.start(ForwardingTest.SECRET)) {
            receiver.slow(Duration.ofMillis(60));
            Map<String, String> env = new HashMap<>(Map.of("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET,
                    "DATA_DIR", dataDir.toString(), "PORT", "0", "FORWARD_URLS", receiver.url().toString(),
                    "FORWARD_SECRET", ForwardingTest.SECRET));
            List<String> stored = new ArrayList<>();
            try (ChildRelay child = ChildRelay.start(env, "serve")) {
                for (int i = 0; i < EVENTS; i++) {
                    assertEquals(200, child.postSigned(Fixtures.fullEventBytes("c" + i, "appointment.created", "A" + i)));
                    stored.add("c" + i);
                }
                Await.until("forwarding under way", Duration.ofSeconds(30), () -> receiver.accepted().size() >= 3);
                child.kill();
            }
            assertTrue(receiver.accepted().size() < EVENTS, "the kill came too late to test anything");
            receiver.slow(Duration.ZERO);
            try (ChildRelay restarted = ChildRelay.start(env, "serve")) {
                Await.until("every event forwarded", Duration.ofSeconds(30),
                        () -> firstSeen(receiver.accepted()).size() == EVENTS);
                assertTrue(restarted.isAlive());
            }
            Map<String, String> idOfEvent = firstSeen(receiver.accepted());
            assertEquals(stored, new ArrayList<>(idOfEvent.keySet()), "first seen in journal order, none missing");
            for (FakeWebhookReceiver.Received r : receiver.received()) {
                assertTrue(r.signatureValid());
                assertEquals(idOfEvent.get(ForwardingTest.data(r.body()).string("event_id")), r.id(),
                        "a resend carries the webhook-id of the first delivery");
            }
        }
    }

    /** Event id to the webhook-id it first came with, in the order first seen. */
    private static Map<String, String> firstSeen(List<FakeWebhookReceiver.Received> received) throws Exception {
        Map<String, String> first = new LinkedHashMap<>();
        for (FakeWebhookReceiver.Received r : received) {
            first.putIfAbsent(ForwardingTest.data(r.body()).string("event_id"), r.id());
        }
        return first;
    }
}
