package clinicrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.RawHttp;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A saturated worker pool answers at once instead of queueing without bound. */
class WorkerPoolTest {

    @Test
    void saturatedPoolAnswers503OrDropsInsteadOfQueueing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allBusy = new CountDownLatch(HttpLimits.WORKER_THREADS_MAX);
        Route block = new Route("/block", exchange -> {
            allBusy.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Responses.json(exchange, 200, "{}");
        }, WhenUnavailable.RESPOND_503);
        Route ping = new Route("/ping", exchange -> Responses.json(exchange, 200, "{\"pong\":true}"), WhenUnavailable.RESPOND_503);
        Route zocdocLike = new Route("/drop", exchange -> Responses.json(exchange, 200, "{}"), WhenUnavailable.DROP_CONNECTION);
        CapturedLog log = new CapturedLog(Clock.systemUTC());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (WebServer server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                List.of(block, ping, zocdocLike), log.log())) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            // From several loopback addresses: one address alone may hold only its share of the workers.
            List<java.net.Socket> blocked = new ArrayList<>();
            for (int i = 0; i < HttpLimits.WORKER_THREADS_MAX; i++) {
                java.net.Socket socket = new java.net.Socket();
                socket.bind(new InetSocketAddress("127.0.0." + (2 + i / HttpLimits.EXCHANGES_PER_ADDRESS_MAX), 0));
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
                socket.getOutputStream().write("GET /block HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                blocked.add(socket);
            }
            assertTrue(allBusy.await(30, TimeUnit.SECONDS), "every worker should be taken");

            HttpResponse<String> busy = client.send(HttpRequest.newBuilder(base.resolve("/ping"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, busy.statusCode());
            assertEquals("5", busy.headers().firstValue("Retry-After").orElse(""));
            assertEquals("{\"error\":\"server busy\"}", busy.body());
            assertEquals("", RawHttp.post(server.port(), "/drop", Map.of(), new byte[0], 5000),
                    "a Zocdoc-style route drops the connection so the sender redelivers");
            assertTrue(server.shedCount() >= 2);

            release.countDown();
            for (java.net.Socket socket : blocked) {
                socket.setSoTimeout(30_000);
                byte[] status = socket.getInputStream().readNBytes(12);
                assertEquals("HTTP/1.1 200", new String(status, java.nio.charset.StandardCharsets.ISO_8859_1));
                socket.close();
            }
            HttpResponse<String> recovered = client.send(HttpRequest.newBuilder(base.resolve("/ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, recovered.statusCode());
        } finally {
            release.countDown();
        }
    }
}
