package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.Fixtures;
import clinicrelay.testing.RawHttp;
import clinicrelay.testing.Signing;
import clinicrelay.testing.TestRelay;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the log says of requests: a body that cannot be read (a chunked body with a trailer,
 * which the JDK server does not take) gets an answer and a line; a flood of duplicates
 * costs a few lines a second, with the count of those left out.
 */
class RequestLoggingTest {
    @TempDir
    Path dataDir;

    @Test
    void aChunkedBodyWithATrailerIsAnsweredAndLogged() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir)) {
            byte[] body = Fixtures.fullEventBytes("evt-trailer", "appointment.created", "appt-t");
            Map<String, String> signed = Signing.zocdocV1(TestRelay.SECRET, System.currentTimeMillis() / 1000, body);
            StringBuilder head = new StringBuilder("POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n");
            signed.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n").append(Integer.toHexString(body.length)).append("\r\n");
            String answer;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 2000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.write("\r\n0\r\nX-Checksum: abc\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                answer = RawHttp.readAll(socket.getInputStream());
            }
            assertTrue(answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.1 400"), "an answer: " + answer);
            String log = relay.logText();
            assertTrue(answer.startsWith("HTTP/1.1 200") || log.contains("outcome=unreadable_body"), log);
        }
    }

    @Test
    void aFloodOfDuplicatesIsLoggedAFewLinesASecondWithACount() throws Exception {
        try (TestRelay relay = TestRelay.start(dataDir)) {
            byte[] body = Fixtures.fullEventBytes("evt-dup", "appointment.created", "appt-d");
            assertEquals(200, relay.postSigned(body).statusCode());
            for (int i = 0; i < 300; i++) {
                assertEquals("{\"received\":true,\"duplicate\":true}", relay.postSigned(body).body());
            }
            long lines = relay.logText().lines().filter(l -> l.contains("outcome=duplicate")).count();
            assertTrue(lines < 150, "a flood of duplicates costs a few lines a second, not one each: " + lines);
        }
    }
}
