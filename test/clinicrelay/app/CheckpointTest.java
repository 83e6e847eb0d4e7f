package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.delivery.DeliveryView;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.journal.CheckpointFile;
import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.Await;
import clinicrelay.testing.DataDirs;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints: a start from the newest checkpoint and the journal after it holds exactly
 * what a replay of the whole journal holds (deliveries as the operator sees them, the
 * practice's figures, the events remembered), also when events were stored and not yet
 * planned at the checkpoint; a damaged or unfitting checkpoint is passed over, loudly, for
 * an older one or a full replay.
 */
class CheckpointTest {
    private static final String PASSWORD = "correct-horse-battery";
    private static final Map<String, String> ENV = Map.of("DRY_RUN", "true", "REMINDER_OFFSETS", "2s",
            "QUIET_HOURS", "off", "SMS_CONSENT", "assumed", "DASHBOARD_PASSWORD", PASSWORD,
            "CLINIC_TIMEZONE", "America/New_York");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path root;

    @Test
    void aStartFromACheckpointHoldsWhatAFullReplayBuilds() throws Exception {
        Path live = root.resolve("live");
        String state;
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            bookAndChange(relay, "a");
            assertNotEquals(JournalPosition.NONE, relay.relay().checkpointNow());
            post(relay, "a-late-1", "appointment.created", "a-7");
            post(relay, "a-late-2", "appointment.cancelled", "a-1");
            post(relay, "a-2-moved", "appointment.updated", "a-2"); // a duplicate of one before the checkpoint
            relay.settle();
            state = state(relay);
            DataDirs.copy(live, root.resolve("from-checkpoint"));
            DataDirs.copy(live, root.resolve("full-replay"));
        }
        DataDirs.delete(CheckpointFile.directoryIn(root.resolve("full-replay")));

        try (TestRelay fromCheckpoint = TestRelay.start(root.resolve("from-checkpoint"), ENV, WriteFaults.NONE)) {
            fromCheckpoint.settle();
            assertTrue(fromCheckpoint.logText().contains("INFO started from a checkpoint"), fromCheckpoint.logText());
            assertFalse(fromCheckpoint.logText().contains("records_after=0"), "the records after it were replayed");
            assertEquals(state, state(fromCheckpoint));
        }
        try (TestRelay fullReplay = TestRelay.start(root.resolve("full-replay"), ENV, WriteFaults.NONE)) {
            fullReplay.settle();
            assertFalse(fullReplay.logText().contains("started from a checkpoint"));
            assertEquals(state, state(fullReplay));
        }
    }

    @Test
    void eventsStoredAndNotYetPlannedAtTheCheckpointArePlannedOnceAfterARestart() throws Exception {
        Path live = root.resolve("live");
        Path crashed = root.resolve("crashed");
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            bookAndChange(relay, "b");
            // Hold the engine between two steps while three events are stored: they wait in
            // its inbox. Queue a checkpoint, then a copy of the data dir as a crash would leave
            // it right after the checkpoint, before those events were planned.
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> held = relay.relay().engine().checkpoint((position, pending) -> {
                holding.countDown();
                await(release);
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the engine is held");
            for (int i = 1; i <= 3; i++) {
                post(relay, "b-waiting-" + i, "appointment.created", "b-w" + i);
            }
            CompletableFuture<Long> checkpoint = relay.relay().checkpointer().request();
            long[] pendingAtCopy = new long[1];
            CompletableFuture<Long> copied = relay.relay().engine().checkpoint((position, pending) -> {
                pendingAtCopy[0] = pending.length;
                DataDirs.copy(live, crashed);
            });
            release.countDown();
            held.get(10, TimeUnit.SECONDS);
            assertNotEquals(JournalPosition.NONE, checkpoint.get(10, TimeUnit.SECONDS));
            copied.get(10, TimeUnit.SECONDS);
            assertEquals(3, pendingAtCopy[0], "three events stored and not yet planned at the checkpoint");
            assertTrue(relay.logText().contains("pending_events=3"), relay.logText());
        }
        Path fullReplay = root.resolve("full-replay");
        DataDirs.copy(crashed, fullReplay);
        DataDirs.delete(CheckpointFile.directoryIn(fullReplay));

        String replayed;
        try (TestRelay relay = TestRelay.start(fullReplay, ENV, WriteFaults.NONE)) {
            relay.settle();
            replayed = state(relay);
        }
        try (TestRelay relay = TestRelay.start(crashed, ENV, WriteFaults.NONE)) {
            relay.settle();
            assertTrue(relay.logText().contains("INFO started from a checkpoint"), relay.logText());
            String restarted = state(relay);
            assertEquals(replayed, restarted);
            for (int i = 1; i <= 3; i++) {
                String appointment = "appointmentId=b-w" + i + ",";
                assertEquals(1, Stream.of(restarted.split("\n")).filter(l -> l.contains(appointment)
                        && l.contains("kind=CONFIRMATION_SMS")).count(), "planned once: " + restarted);
            }
        }
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToTheOneBeforeAndBothDamagedToAFullReplay() throws Exception {
        Path live = root.resolve("live");
        String state;
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            bookAndChange(relay, "c");
            assertNotEquals(JournalPosition.NONE, relay.relay().checkpointNow());
            post(relay, "c-late", "appointment.created", "c-9");
            relay.settle();
            assertNotEquals(JournalPosition.NONE, relay.relay().checkpointNow());
            post(relay, "c-later", "appointment.cancelled", "c-9");
            relay.settle();
            state = state(relay);
            DataDirs.copy(live, root.resolve("one-damaged"));
            DataDirs.copy(live, root.resolve("both-damaged"));
        }
        List<Path> checkpoints = checkpoints(root.resolve("one-damaged"));
        assertEquals(2, checkpoints.size(), "the newest two are kept");
        flipByteInTheMiddle(checkpoints.get(1));
        try (TestRelay relay = TestRelay.start(root.resolve("one-damaged"), ENV, WriteFaults.NONE)) {
            relay.settle();
            String log = relay.logText();
            assertTrue(log.contains("ERROR checkpoint unusable") && log.contains("checksum mismatch"), log);
            assertTrue(log.contains("INFO started from a checkpoint file=" + checkpoints.get(0)), log);
            assertTrue(Files.exists(checkpoints.get(1).resolveSibling(checkpoints.get(1).getFileName() + ".unusable")),
                    "the damaged one is set aside, not tried first at every start");
            assertEquals(state, state(relay));
        }
        for (Path checkpoint : checkpoints(root.resolve("both-damaged"))) {
            flipByteInTheMiddle(checkpoint);
        }
        try (TestRelay relay = TestRelay.start(root.resolve("both-damaged"), ENV, WriteFaults.NONE)) {
            relay.settle();
            String log = relay.logText();
            assertEquals(2, log.lines().filter(l -> l.contains("ERROR checkpoint unusable")).count(), log);
            assertFalse(log.contains("started from a checkpoint"), log);
            assertEquals(state, state(relay));
        }
    }

    @Test
    void aCheckpointAtAPositionTheJournalDoesNotHaveOrInAnotherTimeZoneIsPassedOver() throws Exception {
        Path live = root.resolve("live");
        String state;
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            bookAndChange(relay, "d");
            state = state(relay);
        }
        Path checkpoint = checkpoints(live).get(checkpoints(live).size() - 1);
        byte[] file = Files.readAllBytes(checkpoint);
        byte[] image = java.util.Arrays.copyOfRange(file, 24, file.length - 12);
        Files.delete(checkpoint);
        CheckpointFile.write(live, JournalPosition.of(99, 16), JournalPosition.of(99, 16), out -> out.write(image));
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            relay.settle();
            String log = relay.logText();
            assertTrue(log.contains("ERROR checkpoint does not fit the journal; replaying the whole journal"), log);
            assertEquals(state, state(relay));
        }
        Map<String, String> otherZone = new HashMap<>(ENV);
        otherZone.put("CLINIC_TIMEZONE", "America/Chicago");
        try (TestRelay relay = TestRelay.start(live, otherZone, WriteFaults.NONE)) {
            String log = relay.logText();
            assertTrue(log.contains("INFO started from a checkpoint"), "the rest of the image is used: " + log);
            assertTrue(log.contains("WARN the clinic's time zone changed: the dashboard's figures start again from now"), log);
            assertTrue(dashboard(relay, "/api/stats?days=30").contains("\"created\":0,"), "figures of another zone dropped");
        }
    }

    @Test
    void withoutAUsableCheckpointAJournalCutByRetentionIsNotReplayedInPart() throws Exception {
        Path live = root.resolve("live");
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            post(relay, "f-1", "appointment.created", "f-1");
        }
        DataDirs.delete(CheckpointFile.directoryIn(live));
        Path journal = clinicrelay.journal.Journal.directoryIn(live);
        Files.move(journal.resolve("00000000000000000001.seg"), journal.resolve("00000000000000000002.seg"));
        clinicrelay.app.Relay.StartupException refused = org.junit.jupiter.api.Assertions.assertThrows(
                clinicrelay.app.Relay.StartupException.class, () -> TestRelay.start(live, ENV, WriteFaults.NONE));
        assertTrue(refused.getMessage().contains("journal retention deleted the oldest segments and no checkpoint can be used")
                && refused.getMessage().contains("restore DATA_DIR/checkpoint from a backup"), refused.getMessage());
    }

    @Test
    void aCleanStopLeavesACheckpointSoTheNextStartReplaysNothing() throws Exception {
        Path live = root.resolve("live");
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            bookAndChange(relay, "e");
        }
        try (TestRelay relay = TestRelay.start(live, ENV, WriteFaults.NONE)) {
            assertTrue(relay.logText().contains("INFO started from a checkpoint") && relay.logText().contains("records_after=0"),
                    relay.logText());
            assertEquals(JournalPosition.NONE, relay.relay().checkpointNow(), "nothing changed: nothing to write");
        }
        for (Path checkpoint : checkpoints(live)) {
            String text = new String(Files.readAllBytes(checkpoint), StandardCharsets.ISO_8859_1);
            for (String phi : Fixtures.PHI) {
                assertFalse(text.contains(phi), "no patient data in a checkpoint in clear: " + phi);
            }
        }
    }

    /** Bookings, a reschedule, a cancellation, a reminder sent and a check-in, a duplicate and an opt-out. */
    private static void bookAndChange(TestRelay relay, String prefix) throws Exception {
        String soon = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(4).withNano(0).toString();
        post(relay, prefix + "-soon", Fixtures.fullEvent(prefix + "-soon", "appointment.created", prefix + "-0", soon));
        for (int i = 1; i <= 5; i++) {
            post(relay, prefix + "-created-" + i, "appointment.created", prefix + "-" + i);
        }
        String later = OffsetDateTime.parse(Fixtures.START_TIME).plusDays(3).toString();
        post(relay, prefix + "-2-moved", Fixtures.fullEvent(prefix + "-2-moved", "appointment.updated", prefix + "-2", later));
        post(relay, prefix + "-3-cancelled", "appointment.cancelled", prefix + "-3");
        post(relay, prefix + "-created-1", "appointment.created", prefix + "-1");
        // Sent as the engine knows it (its result journaled), not merely written to the outbox:
        // the check-in must come after the result in the journal too, or a replay, which
        // follows the journal, would count the visit as not reminded.
        Await.until("the reminder of the visit soon sent", () -> relay.relay().engine().snapshot().get(10, TimeUnit.SECONDS)
                .stream().anyMatch(v -> v.appointmentId().equals(prefix + "-0") && v.kind() == DeliveryKind.REMINDER_SMS
                        && v.state() == DeliveryState.SENT));
        post(relay, prefix + "-soon-in", Fixtures.fullEvent(prefix + "-soon-in", "appointment.checked_in", prefix + "-0", soon));
        assertTrue(relay.relay().engine().optOut("+16175550123", "test").get(10, TimeUnit.SECONDS));
        relay.settle();
    }

    private static void post(TestRelay relay, String eventId, String type, String appointmentId) throws Exception {
        post(relay, eventId, Fixtures.fullEvent(eventId, type, appointmentId));
    }

    private static void post(TestRelay relay, String eventId, String json) throws Exception {
        HttpResponse<String> response = relay.postSigned(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), eventId + ": " + response.body());
    }

    /** What the relay holds, as its users see it: every delivery, the figures, the events remembered. */
    private static String state(TestRelay relay) throws Exception {
        List<DeliveryView> deliveries = new ArrayList<>(relay.relay().engine().snapshot().get(10, TimeUnit.SECONDS));
        deliveries.sort(Comparator.comparing(DeliveryView::id));
        StringBuilder state = new StringBuilder();
        deliveries.forEach(d -> state.append(d).append('\n'));
        state.append(dashboard(relay, "/api/stats?days=30")).append('\n');
        String health = relay.get("/health").body();
        state.append(health.replaceAll(",\"uptime_seconds\":\\d+", "")).append('\n');
        assertTrue(deliveries.size() > 10 && health.contains("\"events_stored\":"), state.toString());
        return state.toString();
    }

    private static String dashboard(TestRelay relay, String path) throws Exception {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(relay.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IOException("never released");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static List<Path> checkpoints(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(CheckpointFile.directoryIn(dataDir))) {
            return files.filter(p -> p.toString().endsWith(".ckpt")).sorted().toList();
        }
    }

    private static void flipByteInTheMiddle(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
    }


}
