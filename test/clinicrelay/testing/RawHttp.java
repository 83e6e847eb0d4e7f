package clinicrelay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** HTTP/1.1 over a plain socket, to see exactly what the server sends (or does not). */
public final class RawHttp {
    private RawHttp() {
    }

    /** Sends one POST with Connection: close and returns every byte the server sent until it closed. */
    public static String post(int port, String path, Map<String, String> headers, byte[] body, int readTimeoutMillis)
            throws IOException {
        try (Socket socket = connect(port, readTimeoutMillis)) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head(path, "Content-Length: " + body.length, headers));
                out.write(body);
                out.flush();
            } catch (SocketException closedEarly) {
                // The server may answer, or drop the connection, before taking the whole body.
            }
            return readAll(socket.getInputStream());
        }
    }

    /** Sends one POST with a chunked body (no Content-Length), in chunks of up to 16 KiB. */
    public static String postChunked(int port, String path, Map<String, String> headers, byte[] body, int readTimeoutMillis)
            throws IOException {
        try (Socket socket = connect(port, readTimeoutMillis)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(path, "Transfer-Encoding: chunked", headers));
            try {
                for (int at = 0; at < body.length; at += 16384) {
                    int length = Math.min(16384, body.length - at);
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, at, length);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (SocketException answeredEarly) {
                // The server may answer (413) and close before taking the whole body.
            }
            return readAll(socket.getInputStream());
        }
    }

    /** Sends one GET with Connection: close and returns everything the server sent. */
    public static String get(int port, String path, int readTimeoutMillis) throws IOException {
        try (Socket socket = connect(port, readTimeoutMillis)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readAll(socket.getInputStream());
        }
    }

    private static Socket connect(int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(readTimeoutMillis);
        return socket;
    }

    private static byte[] head(String path, String framing, Map<String, String> headers) {
        StringBuilder head = new StringBuilder();
        head.append("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
                .append("Content-Type: application/json\r\n").append(framing).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Everything the server sent until it closed (or reset) the connection, as ISO-8859-1 text. */
    public static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A reset is one way of closing without an answer; what arrived before it counts.
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
