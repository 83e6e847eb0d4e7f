import clinicrelay.signature.ZocdocV1Signature;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: requests are scheduled at a fixed rate, and each one's latency is
 * measured from its scheduled send time, not from when a connection was free to send it.
 * The bodies are a practice's traffic ({@link Workload}).
 * A server stall therefore shows up in full in the percentiles instead of being hidden by
 * the generator waiting politely (coordinated omission, which closed-loop wrk has).
 *
 * usage: java -cp build/clinic-relay.jar:build/bench OpenLoop PORT SECRET RATE SECONDS CONNECTIONS PREFIX
 */
public final class OpenLoop {
    private OpenLoop() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String secret = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        String prefix = args[5];
        int total = rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        // Everything is signed before the clock starts, so the generator's own work (and its
        // JIT warming up) cannot delay a send and be blamed on the server.
        // One second at the rate first, to warm the generator's own code.
        Workload warmupWork = new Workload(prefix + "w", 1, java.time.Instant.now());
        byte[][] warmup = new byte[rate][];
        for (int i = 0; i < rate; i++) {
            warmup[i] = request(warmupWork.next(), secret);
        }
        run(port, connections, warmup, rate, intervalNanos, new long[rate], new AtomicLong());
        long[] latencies = new long[total];
        AtomicLong failures = new AtomicLong();
        byte[][] measured = new byte[total][];
        Workload work = new Workload(prefix + "m", 2, java.time.Instant.now());
        for (int i = 0; i < total; i++) {
            measured[i] = request(work.next(), secret);
        }
        run(port, connections, measured, total, intervalNanos, latencies, failures);
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "OPENLOOP rate=%d seconds=%d requests=%d failures=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f%n",
                rate, seconds, total, failures.get(), ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), ms(sorted, 0.999),
                sorted[sorted.length - 1] / 1e6);
    }

    /** Sends requests[0..count) at one per interval over the connections, recording each latency. */
    private static void run(int port, int connections, byte[][] requests, int count, long intervalNanos,
                            long[] latencies, AtomicLong failures) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime() + 100_000_000L;
        int total = count;
        Thread[] workers = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            workers[c] = new Thread(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress("127.0.0.1", port));
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        long scheduled = start + i * intervalNanos;
                        long wait;
                        while ((wait = scheduled - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(requests[i]);
                        out.flush();
                        if (readResponse(in) != 200) {
                            failures.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - scheduled;
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
            }, "open-loop-" + c);
            workers[c].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }

    private static byte[] request(byte[] body, String secret) {
        long timestamp = System.currentTimeMillis() / 1000;
        String head = "POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "webhook-timestamp: " + timestamp + "\r\n"
                + "webhook-signature: " + ZocdocV1Signature.sign(secret, timestamp, body) + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** Reads one response (status line, headers, Content-Length body) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = 0;
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
