import clinicrelay.app.Relay;
import clinicrelay.config.Config;
import clinicrelay.forward.ForwardStatus;
import clinicrelay.log.Log;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forwarding throughput, as a clinic's relay would catch up after a downstream outage: a
 * relay (in this JVM, the production flags and core) stores a practice's events — the
 * bench workload, every one planned, patient data encrypted — while a webhook receiver
 * and a Kafka REST proxy on this machine answer 503. Then each in turn comes back, and the
 * time from its first accepted request to its last gives events per second: to the
 * receiver one signed request per event, in order; to the proxy in batches. Patient fields
 * are forwarded (FORWARD_INCLUDE_PHI=true): each event's sealed part is opened on the way.
 *
 * <p>Arguments: the data folder, the CPU for the load generator. Prints one line:
 * {@code FORWARD events=N webhook_per_second=... kafka_per_second=... kafka_mean_batch=...}.
 */
public final class ForwardBench {
    /** 20 000 events: a large practice's month, and a backlog of several minutes at ingest. */
    static final int RATE = 2_000;
    static final int LOAD_SECONDS = 10;

    /** A downstream endpoint that refuses until opened, then counts what it accepts and when. */
    static final class Downstream {
        final HttpServer server;
        final boolean kafka;
        volatile boolean open;
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        volatile long firstNanos;
        volatile long lastNanos;

        Downstream(boolean kafka) throws IOException {
            this.kafka = kafka;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + (kafka ? "" : "/hooks/bench");
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!open) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            long now = System.nanoTime();
            if (accepted.get() == 0) {
                firstNanos = now;
            }
            requests.incrementAndGet();
            if (!kafka) {
                accepted.incrementAndGet();
                lastNanos = now;
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            int records = count(new String(body, StandardCharsets.UTF_8), "{\"key\":");
            StringBuilder offsets = new StringBuilder("{\"offsets\":[");
            for (int i = 0; i < records; i++) {
                offsets.append(i == 0 ? "" : ",").append("{\"partition\":0,\"offset\":").append(accepted.get() + i)
                        .append(",\"error_code\":null,\"error\":null}");
            }
            byte[] answer = offsets.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            accepted.addAndGet(records);
            lastNanos = System.nanoTime();
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        }

        double perSecond() {
            return accepted.get() * 1e9 / Math.max(1, lastNanos - firstNanos);
        }
    }

    static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // read once, by the first server: these fakes
        Path dataDir = Path.of(args[0]);
        String secret = Base64.getEncoder().encodeToString("forward-bench-webhook-secret-32b".getBytes(StandardCharsets.UTF_8));
        Downstream receiver = new Downstream(false);
        Downstream proxy = new Downstream(true);
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dataDir.toString());
        env.put("PORT", "0");
        env.put("ZOCDOC_WEBHOOK_SECRET", secret);
        env.put("PHI_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        env.put("DRY_RUN", "true");
        env.put("QUIET_HOURS", "off");
        env.put("FORWARD_URLS", receiver.url());
        env.put("FORWARD_SECRET", "whsec_" + Base64.getEncoder().encodeToString(new byte[32]));
        env.put("FORWARD_INCLUDE_PHI", "true");
        env.put("FORWARD_KAFKA_REST_URL", proxy.url());
        env.put("FORWARD_KAFKA_TOPIC", "bench.appointments");
        Relay relay = Relay.start(Config.load(env), Relay.Options.defaults(new Log(OutputStream.nullOutputStream(), Clock.systemUTC())));
        long started = System.nanoTime();
        String load = post(relay.port(), secret, args[1]);
        long stored = relay.forwarder().statuses().get(0).lagEvents();
        long posted = System.nanoTime();
        // The confirmations go out first (to the dry-run outbox): what is measured is forwarding alone.
        if (!relay.engine().awaitSettled(600_000)) {
            throw new IllegalStateException("the engine did not settle");
        }
        System.err.printf("forward bench: %d events stored in %d ms (%s), engine settled after %d ms more%n", stored,
                (posted - started) / 1_000_000, load.strip(), (System.nanoTime() - posted) / 1_000_000);
        for (Downstream downstream : List.of(receiver, proxy)) {
            downstream.open = true;
            int target = downstream.kafka ? 1 : 0;
            relay.forwarder().resume(relay.forwarder().statuses().get(target).target().id()); // "Try now", not in 5 minutes
            waitDrained(relay, target);
        }
        long requests = proxy.requests.get();
        System.out.printf(Locale.ROOT, "FORWARD events=%d webhook_events=%d webhook_per_second=%.0f kafka_events=%d"
                        + " kafka_per_second=%.0f kafka_mean_batch=%.1f%n", stored, receiver.accepted.get(), receiver.perSecond(),
                proxy.accepted.get(), proxy.perSecond(), proxy.accepted.get() / (double) Math.max(1, requests));
        relay.close();
        receiver.server.stop(0);
        proxy.server.stop(0);
        ((ExecutorService) receiver.server.getExecutor()).shutdownNow();
        ((ExecutorService) proxy.server.getExecutor()).shutdownNow();
    }

    /**
     * Stores the events: {@code OpenLoop} (the bench's load generator, the workload's events
     * signed zocdoc-v1) in a child JVM on the load CPU, {@link #RATE} a second for
     * {@link #LOAD_SECONDS} s. Its result line.
     */
    private static String post(int port, String secret, String loadCpu) throws Exception {
        Process load = new ProcessBuilder("taskset", "-c", loadCpu,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "OpenLoop", Integer.toString(port), secret,
                Integer.toString(RATE), Integer.toString(LOAD_SECONDS), "32", "fwd-")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (load.waitFor() != 0) {
            throw new IllegalStateException("the load generator failed: " + out);
        }
        return out;
    }

    private static void waitDrained(Relay relay, int target) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            ForwardStatus status = relay.forwarder().statuses().get(target);
            if (status.lagEvents() == 0 && status.lastProblem() == null) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("forwarding did not drain in 10 minutes");
    }
}
