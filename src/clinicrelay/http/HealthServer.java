package clinicrelay.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A second, tiny server for {@code /health} alone (HEALTH_PORT), with threads of its own:
 * clients that hold every worker of the main port (slow headers, which the JDK server reads
 * on its workers before any handler runs) cannot keep a monitor from an answer.
 */
public final class HealthServer implements AutoCloseable {
    /** Threads: a monitor or two. */
    static final int THREADS = 2;

    private final HttpServer server;
    private final ExecutorService threads;

    private HealthServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    public static HealthServer start(InetSocketAddress address, HttpHandler health) throws IOException {
        HttpServer server = HttpServer.create(address, WebServer.ACCEPT_BACKLOG);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(null, task, "health", HttpLimits.WORKER_STACK_BYTES);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                if ("/health".equals(exchange.getRequestURI().getRawPath())) {
                    health.handle(exchange);
                } else {
                    Responses.error(exchange, 404, "not found");
                }
            }
        });
        server.start();
        return new HealthServer(server, threads);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
