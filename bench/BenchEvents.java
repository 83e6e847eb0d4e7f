import clinicrelay.signature.ZocdocV1Signature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes pre-signed, unique webhook events for wrk (bench/wrk-events.lua): the first line
 * is the body template with {ID} where the event id goes, then one line per event:
 * {@code id<TAB>webhook-timestamp<TAB>webhook-signature}. Signing here keeps HMAC out of
 * the load generator, which wrk's Lua could not do anyway.
 *
 * usage: java -cp build/clinic-relay.jar:build/bench BenchEvents SECRET COUNT PREFIX FILE
 */
public final class BenchEvents {
    /**
     * A full-shape event with a (fictional) patient: the heaviest honest payload, ~640 bytes.
     * Its appointment is in the past, so the delivery engine plans nothing for it: the
     * receiver is measured here, the engine by DeliveryBench.
     */
    static final String TEMPLATE = "{\"event_id\":\"{ID}\",\"event_type\":\"appointment.created\","
            + "\"created_at\":\"2026-11-27T10:00:00Z\",\"appointment\":{\"id\":\"appt-{ID}\","
            + "\"start_time\":\"2020-01-06T15:30:00-05:00\",\"provider\":{\"id\":\"pr_1\",\"name\":\"Dr. Jane Smith\"},"
            + "\"location_id\":\"lo_1\",\"location_name\":\"Elm Street Clinic\",\"visit_type\":\"in_person\","
            + "\"patient\":{\"first_name\":\"Bench\",\"last_name\":\"Patient\",\"phone\":\"(617) 555-0199\","
            + "\"email\":\"bench.patient@example.com\",\"date_of_birth\":\"1980-01-01\","
            + "\"sms_consent\":true,\"email_consent\":true}}}";

    private BenchEvents() {
    }

    static byte[] body(String id) {
        return TEMPLATE.replace("{ID}", id).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws IOException {
        String secret = args[0];
        int count = Integer.parseInt(args[1]);
        String prefix = args[2];
        long timestamp = System.currentTimeMillis() / 1000;
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[3]), StandardCharsets.UTF_8)) {
            out.write(TEMPLATE);
            out.write('\n');
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                out.write(id + "\t" + timestamp + "\t" + ZocdocV1Signature.sign(secret, timestamp, body(id)) + "\n");
            }
        }
    }
}
