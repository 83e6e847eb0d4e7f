package clinicrelay.http;

import com.sun.net.httpserver.HttpHandler;

/**
 * An exact path, its handler, and how it answers when it cannot do its work: when the
 * server is saturated, and when the handler fails unexpectedly.
 */
public record Route(String path, HttpHandler handler, WhenUnavailable whenUnavailable) {
}
