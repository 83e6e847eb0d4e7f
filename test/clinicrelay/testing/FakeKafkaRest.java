package clinicrelay.testing;

import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * A Kafka REST Proxy (v2) as Confluent's and Redpanda's answer: {@code POST /topics/{topic}}
 * with {@code application/vnd.kafka.json.v2+json}, one {@code offsets[]} entry per record.
 * The test queues what the next requests meet: some records refused, a 503 with
 * {@code Retry-After}, or an answer lost after the records were written.
 */
public final class FakeKafkaRest implements AutoCloseable {
    /** A record written to the topic. */
    public record Produced(String topic, String key, JsonObject value) {
    }

    private sealed interface Plan permits Refuse, Unavailable, LoseAnswer {
    }

    private record Refuse(Set<Integer> records, int errorCode) implements Plan {
    }

    private record Unavailable(String retryAfter) implements Plan {
    }

    private record LoseAnswer() implements Plan {
    }

    private final HttpServer server;
    private final Deque<Plan> plans = new ArrayDeque<>();
    private final List<Produced> produced = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private volatile int recordsPerRequestMax = Integer.MAX_VALUE;
    private int tooLarge;
    private long nextOffset;
    private int refused;

    private FakeKafkaRest(HttpServer server) {
        this.server = server;
    }

    public static FakeKafkaRest start() throws IOException {
        HttpServer server = LocalHttpServers.create(4);
        FakeKafkaRest proxy = new FakeKafkaRest(server);
        server.createContext("/topics/", proxy::handle);
        server.start();
        return proxy;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next request has {@code records} (indexes in its batch) refused with {@code errorCode}. */
    public synchronized void refuseNext(Set<Integer> records, int errorCode) {
        plans.add(new Refuse(records, errorCode));
    }

    /** From now on, a request with more records than this is refused whole with 413, as a proxy's size limit does. */
    public void refuseRequestsOver(int records) {
        recordsPerRequestMax = records;
    }

    public synchronized void unavailableNext(String retryAfter) {
        plans.add(new Unavailable(retryAfter));
    }

    /** The next request's records are written, but its answer never arrives (the connection drops). */
    public synchronized void loseNextAnswer() {
        plans.add(new LoseAnswer());
    }

    public synchronized List<Produced> produced() {
        return new ArrayList<>(produced);
    }

    public synchronized List<Integer> batchSizes() {
        return new ArrayList<>(batchSizes);
    }

    public synchronized List<String> authorizations() {
        return new ArrayList<>(authorizations);
    }

    /** Records refused with an error_code so far. */
    public synchronized int refused() {
        return refused;
    }

    /** Requests refused whole for their size. */
    public synchronized int tooLargeRefusals() {
        return tooLarge;
    }

    /** Plans queued that no request has met yet. */
    public synchronized int plansLeft() {
        return plans.size();
    }

    /** Requests that were not what the REST Proxy accepts (wrong content type, body not records). */
    public synchronized List<String> problems() {
        return new ArrayList<>(problems);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String topic = exchange.getRequestURI().getPath().substring("/topics/".length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        String answer;
        int status = 200;
        synchronized (this) {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!"application/vnd.kafka.json.v2+json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
                    || !"POST".equals(exchange.getRequestMethod())) {
                problems.add("content type " + exchange.getRequestHeaders().getFirst("Content-Type"));
                answer = "{\"error_code\":41501,\"message\":\"HTTP 415 Unsupported Media Type\"}";
                status = 415;
            } else {
                Plan plan = plans.poll();
                if (plan instanceof Unavailable unavailable) {
                    exchange.getResponseHeaders().set("Retry-After", unavailable.retryAfter());
                    answer = "{\"error_code\":50301,\"message\":\"Service unavailable\"}";
                    status = 503;
                } else {
                    answer = write(topic, body, plan);
                    if (answer == null) {
                        answer = "{\"error_code\":413,\"message\":\"Request Entity Too Large\"}";
                        status = 413;
                    } else if (plan instanceof LoseAnswer) {
                        exchange.close(); // the records are in; the producer never hears so
                        throw new IOException("answer lost on purpose");
                    }
                }
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.kafka.v2+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String write(String topic, byte[] body, Plan plan) {
        JsonArray records;
        try {
            records = Json.parseObject(body).array("records");
        } catch (Exception notJson) {
            problems.add("body is not JSON");
            return "{\"error_code\":42201,\"message\":\"Unprocessable entity\"}";
        }
        if (records.values().size() > recordsPerRequestMax) {
            tooLarge++;
            return null; // too large: answered 413 by the caller
        }
        batchSizes.add(records.values().size());
        StringBuilder offsets = new StringBuilder("{\"key_schema_id\":null,\"value_schema_id\":null,\"offsets\":[");
        for (int i = 0; i < records.values().size(); i++) {
            JsonObject record = (JsonObject) records.values().get(i);
            if (i > 0) {
                offsets.append(',');
            }
            if (plan instanceof Refuse refuse && refuse.records().contains(i)) {
                refused++;
                offsets.append("{\"partition\":null,\"offset\":null,\"error_code\":").append(refuse.errorCode())
                        .append(",\"error\":\"This server is not the leader for that topic-partition.\"}");
                continue;
            }
            produced.add(new Produced(topic, record.string("key"), record.object("value")));
            offsets.append("{\"partition\":0,\"offset\":").append(nextOffset++).append(",\"error_code\":null,\"error\":null}");
        }
        return offsets.append("]}").toString();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
