package clinicrelay.testing;

import clinicrelay.http.HttpLimits;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** The loopback HTTP servers the fakes (Twilio, SendGrid, Zocdoc, proxies) run on. */
public final class LocalHttpServers {
    private static final int BACKLOG = 64;

    private LocalHttpServers() {
    }

    /**
     * An unstarted server on an ephemeral loopback port. The JDK server reads its limits once
     * per process: they are set here first, or a fake started before the relay under test
     * would leave the relay without them.
     */
    public static HttpServer create(int threads) throws IOException {
        HttpLimits.applyToJdkServer();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        return server;
    }
}
