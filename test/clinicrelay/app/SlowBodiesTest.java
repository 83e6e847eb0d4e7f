package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clinicrelay.http.BodyBudget;
import clinicrelay.http.HttpLimits;
import clinicrelay.testing.Fixtures;
import clinicrelay.testing.TestRelay;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The body budget is taken as bytes arrive, not as sizes are declared: clients that
 * declare the largest body and send one byte hold one byte each, and a real webhook still
 * gets through.
 */
class SlowBodiesTest {
    @TempDir
    Path dataDir;

    @Test
    void declaredButUnsentBodiesDoNotExhaustTheBudgetForARealWebhook() throws Exception {
        int slow = BodyBudget.BYTES_IN_FLIGHT_MAX / HttpLimits.WEBHOOK_BODY_BYTES_MAX + 1;
        List<Socket> sockets = new ArrayList<>();
        try (TestRelay relay = TestRelay.start(dataDir)) {
            try {
                for (int i = 0; i < slow; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 2000);
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + HttpLimits.WEBHOOK_BODY_BYTES_MAX + "\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    sockets.add(socket);
                }
                Thread.sleep(300); // (only to let the slow requests reach the handler; the assertion does not depend on it)
                assertEquals(200, relay.postSigned(Fixtures.fullEventBytes("evt-real", "appointment.created", "appt-r"))
                        .statusCode(), "a real webhook is not crowded out by bodies declared and never sent");
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }
}
