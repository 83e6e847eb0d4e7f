package clinicrelay.dashboard;

import clinicrelay.analytics.PracticeStats;
import clinicrelay.analytics.StatsJson;
import clinicrelay.analytics.StatsReport;
import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.http.Forms;
import clinicrelay.http.Responses;
import clinicrelay.http.Route;
import clinicrelay.http.WhenUnavailable;
import clinicrelay.json.JsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The practice manager's and the operator's routes, all behind {@link DashboardAuth}:
 * {@code /dashboard}, {@code /api/stats}, {@code /api/deliveries} and
 * {@code POST /api/deliveries/{id}/retry}.
 */
public final class DashboardRoutes {
    /** Rows listed by {@code /api/deliveries} at most. */
    static final int DELIVERIES_LISTED_MAX = 500;
    /** Longest wait for the engine to answer a view or a retry. */
    static final long ENGINE_WAIT_MILLIS_MAX = 5_000;
    private static final String RETRY_SUFFIX = "/retry";
    private static final String DELIVERIES_PREFIX = "/api/deliveries/";

    private final PracticeStats stats;
    private final DeliveryEngine engine;
    private final String clinicName;

    private DashboardRoutes(PracticeStats stats, DeliveryEngine engine, String clinicName) {
        this.stats = stats;
        this.engine = engine;
        this.clinicName = clinicName;
    }

    public static List<Route> routes(DashboardAuth auth, PracticeStats stats, DeliveryEngine engine, String clinicName) {
        DashboardRoutes routes = new DashboardRoutes(stats, engine, clinicName);
        return List.of(
                new Route("/dashboard", auth.guard(routes::dashboard), WhenUnavailable.RESPOND_503),
                new Route("/api/stats", auth.guard(routes::stats), WhenUnavailable.RESPOND_503),
                new Route("/api/deliveries", auth.guard(routes::deliveries), WhenUnavailable.RESPOND_503),
                new Route(DELIVERIES_PREFIX + "*", auth.guard(routes::retry), WhenUnavailable.RESPOND_503));
    }

    private void dashboard(HttpExchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        Integer days = window(exchange);
        if (days == null) {
            return;
        }
        byte[] page = DashboardPage.render(stats.report(days), engine.counts(), clinicName).getBytes(StandardCharsets.UTF_8);
        Responses.body(exchange, 200, "text/html; charset=utf-8", page);
    }

    private void stats(HttpExchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        Integer days = window(exchange);
        if (days != null) {
            StatsReport report = stats.report(days);
            Responses.json(exchange, 200, StatsJson.write(report));
        }
    }

    /** {@code ?days=7|30|90} (default 30); anything else is a 400 naming the choices. */
    private static Integer window(HttpExchange exchange) throws IOException {
        String days = Forms.parse(exchange.getRequestURI().getRawQuery()).getOrDefault("days", "30");
        for (int window : DashboardPage.WINDOWS) {
            if (Integer.toString(window).equals(days)) {
                return window;
            }
        }
        Responses.error(exchange, 400, "days must be 7, 30 or 90");
        return null;
    }

    private void deliveries(HttpExchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        String state = Forms.parse(exchange.getRequestURI().getRawQuery()).getOrDefault("state", "dead");
        DeliveryState wanted;
        switch (state) {
            case "dead": wanted = DeliveryState.DEAD; break;
            case "failed": wanted = DeliveryState.FAILED; break;
            case "pending": wanted = DeliveryState.PENDING; break;
            default:
                Responses.error(exchange, 400, "state must be dead, failed or pending");
                return;
        }
        List<DeliveryView> rows;
        try {
            rows = engine.inState(wanted, DELIVERIES_LISTED_MAX).get(ENGINE_WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException busy) {
            Responses.unavailable(exchange, "delivery engine busy");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        JsonBuilder json = new JsonBuilder().beginObject().member("state", state).member("count", rows.size())
                .member("limit", DELIVERIES_LISTED_MAX).beginArray("deliveries");
        for (DeliveryView row : rows) {
            json.beginObject().member("id", row.id()).member("kind", row.kind().wireName())
                    .member("appointment_id", row.appointmentId()).member("state", row.state().wireName())
                    .member("recipient", row.maskedRecipient()).member("last_error", row.lastError())
                    .member("attempts", row.attempts()).member("due_at", row.dueAt().toString())
                    .member("retry", DELIVERIES_PREFIX + encodePathSegment(row.id()) + RETRY_SUFFIX).endObject();
        }
        Responses.json(exchange, 200, json.endArray().endObject().toText());
    }

    private void retry(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (!path.endsWith(RETRY_SUFFIX) || path.length() <= DELIVERIES_PREFIX.length() + RETRY_SUFFIX.length()) {
            Responses.error(exchange, 404, "not found");
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            Responses.methodNotAllowed(exchange, "POST");
            return;
        }
        if (isCrossSite(exchange)) {
            Responses.error(exchange, 403, "cross-site request refused");
            return;
        }
        String id = URLDecoder.decode(path.substring(DELIVERIES_PREFIX.length(), path.length() - RETRY_SUFFIX.length()),
                StandardCharsets.UTF_8);
        boolean retried;
        try {
            retried = engine.retry(id).get(ENGINE_WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException notRecorded) {
            Responses.unavailable(exchange, "not recorded, retry later");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!retried) {
            Responses.error(exchange, 409, "no dead or failed delivery with that id");
            return;
        }
        Responses.json(exchange, 202, new JsonBuilder().beginObject().member("retrying", true).member("id", id)
                .endObject().toText());
    }

    /**
     * A browser that holds the Basic credentials could be made to POST by another site; such
     * a request says so ({@code Sec-Fetch-Site}, or an {@code Origin} that is not this host).
     * curl and scripts send neither.
     */
    static boolean isCrossSite(HttpExchange exchange) {
        String fetchSite = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin == null) {
            return false;
        }
        String authority = origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        return host == null || !authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
    }

    private static boolean isGet(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        Responses.methodNotAllowed(exchange, "GET, HEAD");
        return false;
    }

    private static String encodePathSegment(String id) {
        return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
