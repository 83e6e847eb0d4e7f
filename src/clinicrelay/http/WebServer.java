package clinicrelay.http;

import clinicrelay.log.Log;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The JDK HTTP(S) server with our limits, executor and router. Binds to loopback unless
 * told otherwise (put a TLS proxy in front, or configure TLS_*: README "Deploying").
 */
public final class WebServer implements AutoCloseable {
    /** Pending connections the kernel queues before accept; enough for bursts. */
    static final int ACCEPT_BACKLOG = 512;
    /**
     * Longest a stop waits for exchanges in progress (an event waiting for its fsync) to
     * answer. The JDK's own {@code stop(delay)} always waits the whole delay on JDK 17, so
     * the router drains and the JDK server is then stopped at once.
     */
    private static final long STOP_GRACE_MILLIS = 1000;

    private final HttpServer server;
    private final WorkerPool pool;
    private final Router router;

    private WebServer(HttpServer server, WorkerPool pool, Router router) {
        this.server = server;
        this.pool = pool;
        this.router = router;
    }

    /**
     * Starts serving the routes.
     *
     * @param tls null for plain HTTP
     */
    public static WebServer start(InetSocketAddress address, SSLContext tls, List<Route> routes, Log log)
            throws IOException {
        HttpLimits.applyToJdkServer();
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(address, ACCEPT_BACKLOG);
        } else {
            HttpsServer https = HttpsServer.create(address, ACCEPT_BACKLOG);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        WorkerPool pool = new WorkerPool();
        server.setExecutor(pool);
        Router router = new Router(routes, log);
        server.createContext("/", router);
        server.start();
        return new WebServer(server, pool, router);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Requests answered "busy" because every worker was taken. */
    public long shedCount() {
        return pool.shedCount();
    }

    @Override
    public void close() {
        try {
            router.drain(STOP_GRACE_MILLIS);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        pool.shutdown();
    }
}
