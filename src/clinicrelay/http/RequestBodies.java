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

    private RequestBodies() {
    }

    /**
     * Reads the whole body if it has at most {@code bytesMax} bytes. A declared
     * Content-Length over the limit fails before reading anything; a chunked body fails
     * as soon as it passes the limit.
     */
    public static byte[] readBounded(HttpExchange exchange, int bytesMax) throws IOException, TooLarge {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && Long.parseLong(declared.strip()) > bytesMax) {
            throw new TooLarge();
        }
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes(bytesMax + 1);
        if (body.length > bytesMax) {
            throw new TooLarge();
        }
        return body;
    }
}
