package clinicrelay.forward;

import clinicrelay.channel.HttpAnswers;
import clinicrelay.http.BoundedBody;
import clinicrelay.json.Json;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Produces events to a Kafka topic through the REST Proxy v2 API, which Confluent REST
 * Proxy and Redpanda's HTTP Proxy both serve: {@code POST /topics/{topic}} with
 * {@code application/vnd.kafka.json.v2+json} and {@code {"records":[{"key":..,"value":..}]}},
 * keyed by appointment id so one appointment's events share a partition and keep their
 * order. The answer's {@code offsets[]} has one entry per record, in order; an entry with
 * an {@code error_code} is a record that was not written, and is sent again.
 */
final class KafkaRestSink implements Sink {
    /** Records per request: a few hundred KB of JSON, well inside the proxies' default request limits. */
    static final int BATCH_RECORDS_MAX = 200;
    static final String CONTENT_TYPE = "application/vnd.kafka.json.v2+json";
    static final String ACCEPT = "application/vnd.kafka.v2+json";
    /** An answer is an offset per record: a few dozen bytes each. */
    static final int ANSWER_BYTES_MAX = 1024 * 1024;

    private final HttpClient http;
    private final URI produceUrl;
    private final String authorization;
    private final String userAgent;

    /** @param username null for a proxy without authentication */
    KafkaRestSink(HttpClient http, ForwardTarget target, String username, String password, String userAgent) {
        this.http = http;
        String base = target.url().toString().replaceAll("/+$", "");
        this.produceUrl = URI.create(base + "/topics/" + URLEncoder.encode(target.topic(), StandardCharsets.UTF_8));
        this.authorization = username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.userAgent = userAgent;
    }

    @Override
    public int batchMax() {
        return BATCH_RECORDS_MAX;
    }

    @Override
    public SinkAnswer send(List<ForwardEvent> batch) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(produceUrl)
                .timeout(HttpAnswers.REQUEST_TIMEOUT)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", ACCEPT)
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(records(batch)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), BoundedBody.upTo(ANSWER_BYTES_MAX));
            if (!HttpAnswers.isSuccess(response.statusCode())) {
                return SinkAnswer.failed(batch.size(), "http " + response.statusCode(), HttpAnswers.retryAfter(response));
            }
            return offsets(response.body(), batch.size());
        } catch (IOException unanswered) {
            return SinkAnswer.unanswered(batch.size(), unanswered);
        }
    }

    /** The request body: each event's JSON as a record's value, keyed by its appointment. */
    static byte[] records(List<ForwardEvent> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 700);
        out.writeBytes("{\"records\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < batch.size(); i++) {
            ForwardEvent event = batch.get(i);
            String key = event.appointmentId() != null ? event.appointmentId() : event.eventKey();
            out.writeBytes(((i == 0 ? "" : ",") + "{\"key\":" + Json.quote(key) + ",\"value\":").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(event.body());
            out.write('}');
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Which records the answer says were written: {@code offsets[i].error_code} null for each that was. */
    static SinkAnswer offsets(byte[] answer, int records) {
        JsonArray offsets;
        try {
            offsets = Json.parseObject(answer).array("offsets");
        } catch (JsonException unreadable) {
            return SinkAnswer.failed(records, "answer is not JSON", null);
        }
        if (offsets == null || offsets.values().size() != records) {
            return SinkAnswer.failed(records, "answer does not list an offset per record", null);
        }
        List<String> failures = new ArrayList<>(records);
        for (Object entry : offsets.values()) {
            // Written: an entry whose error_code is absent or null and whose offset is a number. Anything else is not.
            JsonObject offset = entry instanceof JsonObject object ? object : null;
            boolean written = offset != null && offset.number("offset") != null
                    && isAbsentOrNull(offset.get("error_code"));
            Long code = offset == null || offset.number("error_code") == null ? null : offset.number("error_code").toLongOrNull();
            failures.add(written ? null : code != null ? "kafka error_code " + code : "kafka record not written");
        }
        return SinkAnswer.perEvent(failures, null);
    }

    /** Missing, or the JSON literal null (the parser's only non-string value that prints as "null"). */
    private static boolean isAbsentOrNull(Object value) {
        return value == null || (!(value instanceof String) && "null".equals(value.toString()));
    }
}
