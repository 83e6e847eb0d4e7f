package clinicrelay.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies as raw bytes, never more than a limit. */
public final class RequestBodies {

    /** The body is larger than the limit; nothing beyond the limit was read. */
    public static final class TooLarge extends Exception {
        TooLarge() {
            super("request body too large", null, false, false);
        }
    }

    /** How much of a refused body is read and thrown away so the client sees the 413:
     *  closing on unread data makes TCP reset the connection, and the client loses the
     *  answer. Larger bodies are cut off without ceremony. */
    static final long REFUSED_BODY_DRAIN_BYTES_MAX = 1024 * 1024;

    private RequestBodies() {
    }

    /** Reads and discards what is left of a refused body, up to {@link #REFUSED_BODY_DRAIN_BYTES_MAX}. */
    public static void discardRest(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] scratch = new byte[8192];
        long left = REFUSED_BODY_DRAIN_BYTES_MAX;
        int read;
        while (left > 0 && (read = in.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0) {
            left -= read;
        }
    }

    /** The Content-Length the client declared, or -1 for a chunked body (the JDK server has checked the syntax). */
    public static long declaredLength(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        return declared == null ? -1 : Long.parseLong(declared.strip());
    }

    /**
     * Reads the whole body if it has at most {@code bytesMax} bytes. A declared
     * Content-Length over the limit fails before reading anything; a chunked body fails
     * as soon as it passes the limit.
     */
    /** The budget ran out while the body arrived: the request is refused like a busy server's. */
    public static final class OutOfBudget extends Exception {
        public OutOfBudget() {
            super("body budget exhausted", null, false, false);
        }
    }

    /** Bytes read (and reserved) at a time: what a slow body can hold before it sends more. */
    public static final int READ_CHUNK_BYTES = 8 * 1024;

    /**
     * Like {@link #readBounded(HttpExchange, int)}, taking room in {@code room} as the bytes
     * arrive: a body declared large but sent slowly holds only what it has sent.
     */
    public static byte[] readBounded(HttpExchange exchange, int bytesMax, BodyBudget.Reservation room)
            throws IOException, TooLarge, OutOfBudget {
        long declared = declaredLength(exchange);
        if (declared > bytesMax) {
            throw new TooLarge();
        }
        InputStream in = exchange.getRequestBody();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[READ_CHUNK_BYTES];
        while (true) {
            if (!room.growTo(body.size() + (long) READ_CHUNK_BYTES)) {
                throw new OutOfBudget();
            }
            int read = in.read(chunk);
            if (read < 0) {
                return body.toByteArray();
            }
            body.write(chunk, 0, read);
            if (body.size() > bytesMax) {
                throw new TooLarge();
            }
        }
    }

    public static byte[] readBounded(HttpExchange exchange, int bytesMax) throws IOException, TooLarge {
        long declaredBytes = declaredLength(exchange);
        if (declaredBytes > bytesMax) {
            throw new TooLarge();
        }
        InputStream in = exchange.getRequestBody();
        if (declaredBytes >= 0) {
            // The JDK server ends the stream at Content-Length: read into an exact array.
            return in.readNBytes((int) declaredBytes);
        }
        byte[] body = in.readNBytes(bytesMax + 1);
        if (body.length > bytesMax) {
            throw new TooLarge();
        }
        return body;
    }
}
