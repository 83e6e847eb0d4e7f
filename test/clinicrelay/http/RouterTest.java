package clinicrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.CapturedLog;
import clinicrelay.testing.RawHttp;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outermost boundary: unexpected failures never leak a stack trace, and never answer Zocdoc with a status. */
class RouterTest {

    @Test
    void unexpectedFailureDropsADropRouteAndAnswersJson500Elsewhere() throws Exception {
        CapturedLog log = new CapturedLog(Clock.systemUTC());
        Route failingZocdoc = new Route("/z", exchange -> {
            throw new IllegalStateException("boom with patient Xanthippe");
        }, WhenUnavailable.DROP_CONNECTION);
        Route failingOther = new Route("/o", exchange -> {
            throw new IllegalStateException("boom with patient Xanthippe");
        }, WhenUnavailable.RESPOND_503);
        try (WebServer server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                List.of(failingZocdoc, failingOther), log.log())) {
            assertEquals("", RawHttp.post(server.port(), "/z", Map.of(), new byte[0], 5000));
            String other = RawHttp.post(server.port(), "/o", Map.of(), new byte[0], 5000);
            assertTrue(other.startsWith("HTTP/1.1 500"), other);
            assertTrue(other.endsWith("{\"error\":\"internal error\"}"), other);
            assertFalse(other.contains("Exception"));
        }
        assertTrue(log.text().contains("reason=java.lang.IllegalStateException"), log.text());
        assertFalse(log.text().contains("Xanthippe"), "exception messages are never logged");
    }
}
