package clinicrelay.dashboard;

import clinicrelay.forward.Forwarder;
import clinicrelay.http.Forms;
import clinicrelay.http.Responses;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The operator's handles on forwarding: the page, {@code GET /api/forwarding} (JSON),
 * {@code POST /api/forwarding/{target}/retry|resume} (scripts) and the page's buttons
 * ({@code POST /dashboard/forwarding/act}, answered with 303 back). Every POST must come
 * from this site, as for deliveries.
 */
final class ForwardingRoutes {
    static final String API_PREFIX = "/api/forwarding/";

    private final Forwarder forwarder;
    private final OperatorPosts posts;
    private final String clinicName;
    private final ZoneId zone;

    /** @param forwarder null when nothing is forwarded (the page says how to set it up) */
    ForwardingRoutes(Forwarder forwarder, OperatorPosts posts, String clinicName, ZoneId zone) {
        this.forwarder = forwarder;
        this.posts = posts;
        this.clinicName = clinicName;
        this.zone = zone;
    }

    void page(HttpExchange exchange) throws IOException {
        if (DashboardRoutes.isGet(exchange)) {
            String done = Forms.parse(exchange.getRequestURI().getRawQuery()).get("done");
            String banner = "retry".equals(done) ? "The given-up events are being sent again."
                    : "resume".equals(done) ? "The target is switched back on." : null;
            Responses.body(exchange, 200, "text/html; charset=utf-8",
                    ForwardingPage.render(clinicName, statuses(), banner, zone).getBytes(StandardCharsets.UTF_8));
        }
    }

    void list(HttpExchange exchange) throws IOException {
        if (DashboardRoutes.isGet(exchange)) {
            Responses.json(exchange, 200, ForwardingPage.json(statuses()));
        }
    }

    /** {@code POST /api/forwarding/{target}/retry} or {@code .../resume}. */
    void act(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().substring(API_PREFIX.length()).split("/");
        if (parts.length != 2) {
            Responses.error(exchange, 404, "not found");
            return;
        }
        if (!posts.allowed(exchange, false)) {
            return;
        }
        if (apply(parts[0], parts[1])) {
            Responses.json(exchange, 202, "{\"" + ("retry".equals(parts[1]) ? "retrying" : "resumed") + "\":true}");
        } else {
            Responses.error(exchange, 404, "no forwarding target with that id, or no such action (retry, resume)");
        }
    }

    void actFromForm(HttpExchange exchange) throws IOException {
        Map<String, String> form = posts.form(exchange);
        if (form == null) {
            return;
        }
        String action = form.getOrDefault("action", "");
        if (!apply(form.getOrDefault("target", ""), action)) {
            Responses.error(exchange, 404, "no forwarding target with that id, or no such action (retry, resume)");
            return;
        }
        exchange.getResponseHeaders().set("Location", "/dashboard/forwarding?done=" + action);
        Responses.body(exchange, 303, "text/plain; charset=utf-8", action.getBytes(StandardCharsets.UTF_8));
    }

    private boolean apply(String target, String action) {
        if (forwarder == null) {
            return false;
        }
        return switch (action) {
            case "retry" -> forwarder.retryDead(target);
            case "resume" -> forwarder.resume(target);
            default -> false;
        };
    }

    private List<clinicrelay.forward.ForwardStatus> statuses() {
        return forwarder == null ? List.of() : forwarder.statuses();
    }
}
