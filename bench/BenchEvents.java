import clinicrelay.signature.ZocdocV1Signature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes pre-signed webhook events for wrk (bench/wrk-events.lua), one per line:
 * {@code body<TAB>webhook-timestamp<TAB>webhook-signature}, the bodies a realistic practice
 * sends ({@link Workload}: future appointments, created / updated / cancelled, 5 % exact
 * redeliveries). Signing here keeps HMAC out of the load generator, which wrk's Lua could
 * not do anyway.
 *
 * usage: java -cp build/clinic-relay.jar:build/bench BenchEvents SECRET COUNT PREFIX FILE
 */
public final class BenchEvents {
    private BenchEvents() {
    }

    public static void main(String[] args) throws IOException {
        String secret = args[0];
        int count = Integer.parseInt(args[1]);
        String prefix = args[2];
        long timestamp = System.currentTimeMillis() / 1000;
        Workload workload = new Workload(prefix, prefix.hashCode(), Instant.now());
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[3]), StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                byte[] body = workload.next();
                out.write(new String(body, StandardCharsets.UTF_8) + "\t" + timestamp + "\t"
                        + ZocdocV1Signature.sign(secret, timestamp, body) + "\n");
            }
        }
    }
}
