package clinicrelay.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real jar in a child JVM, as systemd would run it, with everything it prints kept
 * for inspection. Used for crash tests (SIGKILL) and end-to-end command tests.
 */
public final class ChildRelay implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("clinic-relay listening address=[^ ]*:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final int port;

    private ChildRelay(Process process, int port, List<String> earlyOutput) {
        this.process = process;
        this.port = port;
        synchronized (output) {
            output.addAll(earlyOutput);
        }
    }

    public static Path jar() {
        return Path.of(System.getProperty("clinicrelay.jar", "build/clinic-relay.jar"));
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code java -jar clinic-relay.jar <command>} and waits until it listens. */
    public static ChildRelay start(Map<String, String> env, String... command) throws IOException, InterruptedException {
        return start(List.of("-XX:+UseSerialGC", "-Xmx128m"), env, command);
    }

    /** Like {@link #start(Map, String...)}, with these JVM options. */
    public static ChildRelay start(List<String> jvmOptions, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(javaBinary()));
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-jar", jar().toString()));
        argv.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        if (command.length > 0 && command[0].equals("serve") && !env.containsKey("PHI_ENCRYPTION")) {
            builder.environment().put("PHI_ENCRYPTION_KEY", TestKeys.PHI_KEY); // serve refuses to run without one
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        ChildRelay[] self = new ChildRelay[1];
        List<String> early = new ArrayList<>();
        int[] port = {-1};
        Object started = new Object();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (started) {
                        if (self[0] != null) {
                            self[0].record(line);
                        } else {
                            early.add(line);
                            Matcher m = LISTENING.matcher(line);
                            if (m.find()) {
                                port[0] = Integer.parseInt(m.group(1));
                            }
                            started.notifyAll();
                        }
                    }
                }
            } catch (IOException ended) {
                // the process is gone
            }
            synchronized (started) {
                started.notifyAll();
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        synchronized (started) {
            while (port[0] < 0 && process.isAlive() && System.nanoTime() < deadline) {
                started.wait(100);
            }
            if (port[0] < 0) {
                process.destroyForcibly();
                throw new IllegalStateException("child did not start listening; output:\n" + String.join("\n", early));
            }
            self[0] = new ChildRelay(process, port[0], early);
            return self[0];
        }
    }

    private void record(String line) {
        synchronized (output) {
            output.add(line);
        }
    }

    private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    /** POSTs a webhook signed zocdoc-v1 with {@link TestRelay#SECRET} as of now; the answer's status. */
    public int postSigned(byte[] body) throws IOException, InterruptedException {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port() + "/webhook")).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, body).forEach(request::header);
        return CLIENT.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public int port() {
        return port;
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Still running (it exits at an OutOfMemoryError, or when an essential thread dies). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, exactly like a power cut for the process. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM (what systemd sends), then SIGKILL if it has not exited within the grace time. */
    @Override
    public void close() {
        process.destroy();
        if (!awaitExit()) {
            kill();
        }
    }

    private boolean awaitExit() {
        try {
            return process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
