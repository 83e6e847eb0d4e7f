package clinicrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.CapturedLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients cannot pin the server: a hundred clients trickling one header
 * byte a second leave normal requests as fast as ever, and are cut off after the request
 * time limit.
 */
class SlowClientTest {
    private static final int TRICKLERS = 100;
    /** A normal request here takes about a millisecond; a pinned server would take seconds. */
    private static final Duration NORMAL_REQUEST_BOUND = Duration.ofMillis(1000);

    @Test
    void tricklingClientsDoNotDelayNormalRequestsAndAreCutOff() throws Exception {
        CapturedLog log = new CapturedLog(Clock.systemUTC());
        Route ping = new Route("/ping", exchange -> Responses.json(exchange, 200, "{\"pong\":true}"), WhenUnavailable.RESPOND_503);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] request = "POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Socket> tricklers = new ArrayList<>();
        AtomicBoolean trickling = new AtomicBoolean(true);
        try (WebServer server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), null, List.of(ping), log.log())) {
            for (int i = 0; i < TRICKLERS; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                tricklers.add(socket);
            }
            Thread trickler = new Thread(() -> trickle(tricklers, request, trickling), "trickler");
            trickler.start();

            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/ping");
            long slowestNanos = 0;
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int sent = 0;
            while (System.nanoTime() < until) {
                long started = System.nanoTime();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
                assertEquals(200, response.statusCode());
                sent++;
            }
            assertTrue(sent > 20, "sent only " + sent);
            assertTrue(slowestNanos < NORMAL_REQUEST_BOUND.toNanos(),
                    "slowest normal request took " + slowestNanos / 1_000_000 + " ms while slow clients trickled");

            for (Socket socket : tricklers) {
                assertClosedByServerWithin(socket, Duration.ofSeconds(HttpLimits.REQUEST_SECONDS_MAX + 5));
            }
            trickling.set(false);
            trickler.join();
        } finally {
            trickling.set(false);
            for (Socket socket : tricklers) {
                socket.close();
            }
        }
    }

    /** Sends the next byte of the request on every socket, once a second, never finishing. */
    private static void trickle(List<Socket> sockets, byte[] request, AtomicBoolean trickling) {
        int next = 0;
        while (trickling.get() && next < request.length - 1) {
            for (Socket socket : sockets) {
                try {
                    socket.getOutputStream().write(request[next]);
                } catch (IOException closedByServer) {
                    // expected once the request time limit passes
                }
            }
            next++;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void assertClosedByServerWithin(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        InputStream in = socket.getInputStream();
        try {
            int read = in.read();
            assertEquals(-1, read, "the server should close, not answer, a request that never completes");
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("slow client still connected after " + limit.toSeconds() + " s");
        } catch (java.net.SocketException reset) {
            // closed by the server: fine
        }
    }
}
