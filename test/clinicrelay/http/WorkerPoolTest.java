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
import java.util.concurrent.CompletableFuture;
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
            List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
            for (int i = 0; i < HttpLimits.WORKER_THREADS_MAX; i++) {
                blocked.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("/block")).build(),
                        HttpResponse.BodyHandlers.ofString()));
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
            for (CompletableFuture<HttpResponse<String>> response : blocked) {
                assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode());
            }
            HttpResponse<String> recovered = client.send(HttpRequest.newBuilder(base.resolve("/ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, recovered.statusCode());
        } finally {
            release.countDown();
        }
    }
}
