package clinicrelay.testing;

import clinicrelay.app.CapacityLimits;
import clinicrelay.app.HeapProbe;
import clinicrelay.app.Relay;
import clinicrelay.config.Config;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalReader;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.journal.WriteFaults;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real Relay on an ephemeral loopback port, with its log captured, for integration tests. */
public final class TestRelay implements AutoCloseable {
    /** A webhook key shaped like Zocdoc's sandbox key: base64 of 32 bytes. */
    public static final String SECRET = "g9Y9hjTUk9KKH7ffBRbtRmJYo2OISsdMK4flbfDa3zR=";
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Relay relay;
    private final CapturedLog log;
    private final Path dataDir;

    private TestRelay(Relay relay, CapturedLog log, Path dataDir) {
        this.relay = relay;
        this.log = log;
        this.dataDir = dataDir;
    }

    public static TestRelay start(Path dataDir) throws Exception {
        return start(dataDir, Map.of(), WriteFaults.NONE);
    }

    public static TestRelay start(Path dataDir, Map<String, String> extraEnv, WriteFaults faults) throws Exception {
        return start(dataDir, extraEnv, faults, null);
    }

    /** @param heap what the capacity guard is told of the heap; null watches the real one */
    public static TestRelay start(Path dataDir, Map<String, String> extraEnv, WriteFaults faults, HeapProbe heap)
            throws Exception {
        return start(dataDir, extraEnv, faults, heap, Clock.systemUTC());
    }

    /** A relay on {@code clock} (a test's hand-moved one): retries and problems come due as it moves. */
    public static TestRelay start(Path dataDir, Map<String, String> extraEnv, Clock clock) throws Exception {
        return start(dataDir, extraEnv, WriteFaults.NONE, null, clock);
    }

    /** The fullest form: write faults, a heap probe (null: the real heap) and a clock. */
    public static TestRelay start(Path dataDir, Map<String, String> extraEnv, WriteFaults faults, HeapProbe heap, Clock clock)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ZOCDOC_WEBHOOK_SECRET", SECRET);
        env.put("DATA_DIR", dataDir.toString());
        env.put("PORT", "0");
        if (!extraEnv.containsKey("PHI_ENCRYPTION")) {
            env.put("PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY); // as in production: serve refuses to run without one
        }
        env.putAll(extraEnv);
        CapturedLog log = new CapturedLog(Clock.systemUTC());
        Relay.Options options = new Relay.Options(clock, log.log(),
                new Journal.Options(Journal.SEGMENT_BYTES_MAX, faults), new SecureRandom(), CapacityLimits.DEFAULTS, heap);
        return new TestRelay(Relay.start(Config.load(env), options), log, dataDir);
    }

    public int port() {
        return relay.port();
    }

    public Relay relay() {
        return relay;
    }

    /**
     * Waits until the relay's engine has nothing left to do now: every stored event
     * planned, every send settled and recorded, nothing due (so nothing more is about to go out).
     */
    public void settle() throws InterruptedException {
        if (!relay.engine().awaitSettled(Await.DEADLINE.toMillis())) {
            throw new AssertionError("the engine did not settle; " + relay.engine().sendsInFlight() + " sends in flight");
        }
    }

    public String logText() {
        return log.text();
    }

    public Path dataDir() {
        return dataDir;
    }

    public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs to /webhook signed the Zocdoc way with the test secret and the current time. */
    public HttpResponse<String> postSigned(byte[] body) throws IOException, InterruptedException {
        return post("/webhook", body, Signing.zocdocV1(SECRET, System.currentTimeMillis() / 1000, body));
    }

    /** POSTs a form to a Twilio callback route, signed as Twilio signs it for {@code publicBase} + path. */
    public HttpResponse<String> postTwilio(String pathAndQuery, Map<String, String> params, String publicBase, String authToken)
            throws IOException, InterruptedException {
        StringBuilder form = new StringBuilder();
        params.forEach((name, value) -> form.append(form.length() == 0 ? "" : "&").append(name).append('=')
                .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
        String signature = clinicrelay.twilio.TwilioSigning.sign(authToken, publicBase + pathAndQuery, params);
        return post(pathAndQuery, form.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", signature));
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** The stored events (EVENT_RECEIVED records), read from disk (read-only, safe while running). */
    public List<StoredRecord> storedRecords() throws Exception {
        return readJournal(dataDir);
    }

    /** The stored events of a journal, oldest first. */
    public static List<StoredRecord> readJournal(Path dataDir) throws Exception {
        return readJournal(dataDir, RecordType.EVENT_RECEIVED);
    }

    /** The records of one type in the journal, oldest first (read-only, safe while running). */
    public static List<StoredRecord> readJournal(Path dataDir, RecordType type) throws Exception {
        List<StoredRecord> records = new ArrayList<>();
        JournalReader.read(Journal.directoryIn(dataDir), record -> {
            if (record.type() == type) {
                records.add(record);
            }
        });
        return records;
    }

    /** Stops the relay; fails if its engine ever refused an illegal state change (a bug). */
    @Override
    public void close() {
        long illegal = relay.engine().illegalTransitions();
        relay.close();
        if (illegal != 0) {
            throw new AssertionError(illegal + " illegal delivery state changes refused:\n" + log.text());
        }
    }
}
