import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Starts the server command given after "--", and measures the time from process start
 * to the first 200 on /health, polling every millisecond. Leaves the server running and
 * writes its PID to PIDFILE.
 *
 * usage: java StartupProbe PORT PIDFILE LOGFILE -- command...
 */
public final class StartupProbe {
    /** How long a start may take: 20 s, or -Dstartup.timeout.seconds (a first replay of a large history). */
    private static final long TIMEOUT_NANOS = Long.getLong("startup.timeout.seconds", 20) * 1_000_000_000L;

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<String> command = Arrays.asList(args).subList(4, args.length);
        long started = System.nanoTime();
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File(args[2])).start();
        while (!healthy(port)) {
            if (!server.isAlive() || System.nanoTime() - started > TIMEOUT_NANOS) {
                System.out.println("STARTUP failed; see " + args[2]);
                System.exit(1);
            }
            Thread.sleep(1);
        }
        long elapsed = System.nanoTime() - started;
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), Long.toString(server.pid()));
        System.out.printf(Locale.ROOT, "STARTUP ms_to_healthy=%.0f pid=%d%n", elapsed / 1e6, server.pid());
    }

    private static boolean healthy(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException notYet) {
            return false;
        }
    }
}
