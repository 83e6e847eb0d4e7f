package clinicrelay.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * How a route answers when it cannot do its work (storage failing, server saturated):
 * the answer that makes its particular sender come back.
 */
public enum WhenUnavailable {
    /** Close the connection without a status line: Zocdoc retries only on broken connections. */
    DROP_CONNECTION,
    /** {@code 503} with {@code Retry-After}: for senders and clients that honour it. */
    RESPOND_503;

    public void answer(HttpExchange exchange, String reason) throws IOException {
        if (this == DROP_CONNECTION) {
            throw new ConnectionDrop(reason);
        }
        Responses.unavailable(exchange, reason);
    }
}
