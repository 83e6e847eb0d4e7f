package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.http.HttpLimits;
import clinicrelay.journal.WriteFaults;
import clinicrelay.testing.RawHttp;
import clinicrelay.testing.TestRelay;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients cannot silence the relay: HEALTH_PORT answers /health on a server of its
 * own while hundreds of sockets dribble headers into the main port, and one address gets
 * at most {@link HttpLimits#EXCHANGES_PER_ADDRESS_MAX} exchanges at once.
 */
class SlowHeadersTest {
    @TempDir
    Path dataDir;

    @Test
    void theHealthPortAnswersWhileSlowHeadersHoldTheMainPort() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (TestRelay relay = TestRelay.start(dataDir, Map.of("HEALTH_PORT", "0"), WriteFaults.NONE)) {
            try {
                for (int i = 0; i < 300; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 2000);
                    OutputStream out = socket.getOutputStream();
                    out.write("POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    sockets.add(socket);
                }
                long started = System.nanoTime();
                String answer = RawHttp.get(relay.relay().healthPort(), "/health", 3_000);
                assertTrue(answer.startsWith("HTTP/1.1 200") && answer.contains("\"status\":\"ok\""), answer);
                assertTrue(System.nanoTime() - started < 3_000_000_000L, "answered at once");
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void oneAddressGetsAtMostItsShareOfExchangesAtOnce() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (TestRelay relay = TestRelay.start(dataDir)) {
            try {
                for (int i = 0; i < HttpLimits.EXCHANGES_PER_ADDRESS_MAX; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 2000);
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    sockets.add(socket);
                }
                clinicrelay.testing.Await.until("the slow bodies hold their exchanges",
                        () -> relay.logText().contains("request refused: too many at once from one address")
                                || !RawHttp.post(relay.port(), "/webhook", Map.of(), "{}".getBytes(StandardCharsets.UTF_8), 2_000)
                                        .startsWith("HTTP/1.1 401"));
                assertTrue(relay.logText().contains("request refused: too many at once from one address"), relay.logText());
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }
}
