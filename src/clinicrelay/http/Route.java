package clinicrelay.http;

import com.sun.net.httpserver.HttpHandler;

/**
 * An exact path, its handler, and how it answers when the server is saturated.
 */
public record Route(String path, HttpHandler handler, WhenUnavailable whenSaturated) {
}
