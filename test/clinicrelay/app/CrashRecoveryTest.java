package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.ChildRelay;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never lose an acknowledged event, even to kill -9: the jar runs as a child JVM, takes
 * events from several threads, is killed with SIGKILL mid-load, restarts on the same data
 * dir, and every event it had answered 200 must now be a duplicate.
 */
class CrashRecoveryTest {
    private static final int SENDERS = 8;
    private static final int EVENTS_PER_SENDER_MAX = 2000;
    /** Acknowledgements to collect before the kill, so it lands in the middle of the load. */
    private static final int ACKNOWLEDGED_BEFORE_KILL = 1500;
    private static final Duration LOAD_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private Map<String, String> env() {
        return Map.of("ZOCDOC_WEBHOOK_SECRET", TestRelay.SECRET, "DATA_DIR", dataDir.toString(), "PORT", "0");
    }

    private HttpResponse<String> send(int port, String eventId) throws IOException, InterruptedException {
        byte[] body = Fixtures.fullEventBytes(eventId, "appointment.created", "appt-" + eventId);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, body).forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAcknowledgedEventSurvivesSigkill() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean killed = new AtomicBoolean();
        String firstOutput;
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try (ChildRelay child = ChildRelay.start(env(), "serve")) {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                running.add(senders.submit(() -> {
                    for (int n = 0; n < EVENTS_PER_SENDER_MAX && !killed.get(); n++) {
                        String id = "crash-" + sender + "-" + n;
                        try {
                            HttpResponse<String> response = send(child.port(), id);
                            if (response.statusCode() == 200 && response.body().equals("{\"received\":true}")) {
                                acknowledged.add(id);
                            }
                        } catch (IOException connectionLost) {
                            return null;
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + LOAD_DEADLINE.toNanos();
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            child.kill();
            killed.set(true);
            for (Future<?> sender : running) {
                sender.get(30, TimeUnit.SECONDS);
            }
            firstOutput = child.output();
        } finally {
            senders.shutdownNow();
        }
        assertTrue(acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL, "only " + acknowledged.size() + " acknowledged");

        try (ChildRelay restarted = ChildRelay.start(env(), "serve")) {
            int duplicates = 0;
            List<String> notDuplicate = new ArrayList<>();
            for (String id : acknowledged) {
                String body = send(restarted.port(), id).body();
                if (body.equals("{\"received\":true,\"duplicate\":true}")) {
                    duplicates++;
                } else {
                    notDuplicate.add(id + " -> " + body);
                }
            }
            assertEquals(List.of(), notDuplicate, "acknowledged events lost in the crash");
            assertEquals(acknowledged.size(), duplicates);
            String everything = (firstOutput + "\n" + restarted.output()).toLowerCase(Locale.ROOT);
            for (String phi : Fixtures.PHI) {
                assertFalse(everything.contains(phi.toLowerCase(Locale.ROOT)), "PHI in the process output: " + phi);
            }
        }
        assertTrue(TestRelay.readJournal(dataDir).size() >= acknowledged.size());
    }
}
