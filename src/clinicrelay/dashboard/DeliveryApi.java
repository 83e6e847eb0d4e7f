package clinicrelay.dashboard;

import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.http.Forms;
import clinicrelay.http.Responses;
import clinicrelay.json.JsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Retrying what did not go out: {@code GET /api/deliveries?state=...} (JSON),
 * {@code POST /api/deliveries/{id}/retry} (scripts), and the dashboard's buttons,
 * {@code POST /dashboard/deliveries/retry} with a form ({@code id}, or {@code state} and
 * {@code reason} for "retry all for this reason"), which answers 303 back to the page.
 * Every POST must come from this site: a browser holding the Basic credentials could be
 * made to post by another one.
 */
final class DeliveryApi {
    static final String DELIVERIES_PREFIX = "/api/deliveries/";
    private static final String RETRY_SUFFIX = "/retry";

    private final DeliveryEngine engine;
    private final OperatorPosts posts;

    DeliveryApi(DeliveryEngine engine, OperatorPosts posts) {
        this.engine = engine;
        this.posts = posts;
    }

    void list(HttpExchange exchange) throws IOException {
        if (!DashboardRoutes.isGet(exchange)) {
            return;
        }
        String state = Forms.parse(exchange.getRequestURI().getRawQuery()).getOrDefault("state", "dead");
        DeliveryState wanted = switch (state) {
            case "dead" -> DeliveryState.DEAD;
            case "failed" -> DeliveryState.FAILED;
            case "pending" -> DeliveryState.PENDING;
            default -> null;
        };
        if (wanted == null) {
            Responses.error(exchange, 400, "state must be dead, failed or pending");
            return;
        }
        List<DeliveryView> rows = DashboardRoutes.ask(exchange, engine.inState(wanted, DashboardRoutes.DELIVERIES_LISTED_MAX));
        if (rows == null) {
            return;
        }
        JsonBuilder json = new JsonBuilder().beginObject().member("state", state).member("count", rows.size())
                .member("limit", DashboardRoutes.DELIVERIES_LISTED_MAX).beginArray("deliveries");
        for (DeliveryView row : rows) {
            json.beginObject().member("id", row.id()).member("kind", row.kind().wireName())
                    .member("appointment_id", row.appointmentId()).member("state", row.state().wireName())
                    .member("recipient", row.maskedRecipient()).member("last_error", row.lastError())
                    .member("attempts", row.attempts()).member("due_at", row.dueAt().toString())
                    .member("retry", DELIVERIES_PREFIX + encodePathSegment(row.id()) + RETRY_SUFFIX).endObject();
        }
        Responses.json(exchange, 200, json.endArray().endObject().toText());
    }

    void retry(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (!path.endsWith(RETRY_SUFFIX) || path.length() <= DELIVERIES_PREFIX.length() + RETRY_SUFFIX.length()) {
            Responses.error(exchange, 404, "not found");
            return;
        }
        if (!posts.allowed(exchange, false)) {
            return;
        }
        String id = URLDecoder.decode(path.substring(DELIVERIES_PREFIX.length(), path.length() - RETRY_SUFFIX.length()),
                StandardCharsets.UTF_8);
        Boolean retried = DashboardRoutes.ask(exchange, engine.retry(id));
        if (retried == null) {
            return;
        }
        if (!retried) {
            Responses.error(exchange, 409, "no dead or failed delivery with that id");
            return;
        }
        Responses.json(exchange, 202, new JsonBuilder().beginObject().member("retrying", true).member("id", id)
                .endObject().toText());
    }

    /** The dashboard's retry buttons: one delivery, or every one in a state that failed for one reason. */
    void retryFromForm(HttpExchange exchange) throws IOException {
        Map<String, String> form = posts.form(exchange);
        if (form == null) {
            return;
        }
        String back = form.getOrDefault("back", "/dashboard/deliveries?state=failed");
        if (!back.startsWith("/dashboard/") || back.startsWith("//") || back.contains("\\")) {
            back = "/dashboard"; // only ever back to a page of ours
        }
        int retried = 0;
        if (form.containsKey("id")) {
            Boolean done = DashboardRoutes.ask(exchange, engine.retry(form.get("id")));
            if (done == null) {
                return;
            }
            retried = done ? 1 : 0;
        } else {
            DeliveryState state = "dead".equals(form.get("state")) ? DeliveryState.DEAD : DeliveryState.FAILED;
            String reason = form.getOrDefault("reason", "");
            List<DeliveryView> rows = DashboardRoutes.ask(exchange, engine.inState(state, DashboardRoutes.DELIVERIES_LISTED_MAX));
            if (rows == null) {
                return;
            }
            for (DeliveryView row : rows) {
                if (DeliveriesPage.reasonOf(row).equals(reason)) {
                    Boolean done = DashboardRoutes.ask(exchange, engine.retry(row.id()));
                    if (done == null) {
                        return;
                    }
                    retried += done ? 1 : 0;
                }
            }
        }
        String target = back.startsWith("/dashboard/deliveries") ? stripRetried(back) + "&retried=" + retried : back;
        exchange.getResponseHeaders().set("Location", target);
        Responses.body(exchange, 303, "text/plain; charset=utf-8", ("retried " + retried).getBytes(StandardCharsets.UTF_8));
    }

    private static String stripRetried(String back) {
        int at = back.indexOf("&retried=");
        return at < 0 ? back : back.substring(0, at);
    }

    private static String encodePathSegment(String id) {
        return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
