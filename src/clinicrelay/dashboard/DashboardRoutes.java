package clinicrelay.dashboard;

import clinicrelay.analytics.PracticeStats;
import clinicrelay.analytics.StatsJson;
import clinicrelay.analytics.StatsReport;
import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.forward.Forwarder;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import clinicrelay.http.Forms;
import clinicrelay.http.Responses;
import clinicrelay.http.Route;
import clinicrelay.http.WhenUnavailable;
import clinicrelay.planning.Appointment;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The practice manager's pages, all behind {@link DashboardAuth}: {@code /dashboard} (the
 * figures for a window, the days ahead), {@code /dashboard/deliveries} (what did not go
 * out, with retry buttons), {@code /dashboard/appointment} (one appointment's messages),
 * and their data: {@code /api/stats}, {@code /api/stats.csv}. The operator's JSON routes
 * are in {@link DeliveryApi}; forwarding's page and routes in {@link ForwardingRoutes}.
 */
public final class DashboardRoutes {
    /** Rows listed on a page or by {@code /api/deliveries} at most. */
    static final int DELIVERIES_LISTED_MAX = 500;
    /** Longest wait for the engine to answer a view or a retry. */
    static final long ENGINE_WAIT_MILLIS_MAX = 5_000;

    private final PracticeStats stats;
    private final DeliveryEngine engine;
    private final String clinicName;
    /** CLINIC_TIMEZONE, or null (then UTC, with a banner). */
    private final ZoneId clinicZone;

    private DashboardRoutes(PracticeStats stats, DeliveryEngine engine, String clinicName, ZoneId clinicZone) {
        this.stats = stats;
        this.engine = engine;
        this.clinicName = clinicName;
        this.clinicZone = clinicZone;
    }

    /**
     * @param clinicZone    CLINIC_TIMEZONE, or null
     * @param publicBaseUrl PUBLIC_BASE_URL, or null: a form from that origin is from this site
     */
    public static List<Route> routes(DashboardAuth auth, PracticeStats stats, DeliveryEngine engine, Forwarder forwarder,
                                     String clinicName, ZoneId clinicZone, String publicBaseUrl) {
        DashboardRoutes pages = new DashboardRoutes(stats, engine, clinicName, clinicZone);
        OperatorPosts posts = new OperatorPosts(publicBaseUrl);
        DeliveryApi api = new DeliveryApi(engine, posts);
        ForwardingRoutes forwarding = new ForwardingRoutes(forwarder, posts, clinicName, pages.zone());
        return List.of(
                new Route("/dashboard/forwarding", auth.guard(forwarding::page), WhenUnavailable.RESPOND_503),
                new Route(ForwardingPage.ACTION_PATH, auth.guard(forwarding::actFromForm), WhenUnavailable.RESPOND_503),
                new Route("/api/forwarding", auth.guard(forwarding::list), WhenUnavailable.RESPOND_503),
                new Route(ForwardingRoutes.API_PREFIX + "*", auth.guard(forwarding::act), WhenUnavailable.RESPOND_503),
                new Route("/dashboard", auth.guard(pages::dashboard), WhenUnavailable.RESPOND_503),
                new Route("/dashboard/deliveries", auth.guard(pages::deliveries), WhenUnavailable.RESPOND_503),
                new Route(DeliveryRows.RETRY_PATH, auth.guard(api::retryFromForm), WhenUnavailable.RESPOND_503),
                new Route("/dashboard/appointment", auth.guard(pages::appointment), WhenUnavailable.RESPOND_503),
                new Route("/api/stats", auth.guard(pages::stats), WhenUnavailable.RESPOND_503),
                new Route("/api/stats.csv", auth.guard(pages::csv), WhenUnavailable.RESPOND_503),
                new Route("/api/deliveries", auth.guard(api::list), WhenUnavailable.RESPOND_503),
                new Route(DeliveryApi.DELIVERIES_PREFIX + "*", auth.guard(api::retry), WhenUnavailable.RESPOND_503));
    }

    private ZoneId zone() {
        return clinicZone != null ? clinicZone : ZoneOffset.UTC;
    }

    private void dashboard(HttpExchange exchange) throws IOException {
        Window window = window(exchange);
        if (window == null) {
            return;
        }
        java.time.LocalDate today = stats.today();
        List<Appointment> ahead = ask(exchange, engine.queries.bookedBetween(today.atStartOfDay(zone()).toInstant(),
                today.plusDays(Upcoming.DAYS).atStartOfDay(zone()).toInstant()));
        if (ahead == null) {
            return;
        }
        Upcoming upcoming = Upcoming.of(ahead, today, zone(), stats::isConfirmed);
        String page = DashboardPage.render(new DashboardPage.View(stats.report(window.from(), window.to()), window,
                engine.counts(), upcoming, clinicName, clinicZone != null));
        Responses.body(exchange, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private void stats(HttpExchange exchange) throws IOException {
        Window window = window(exchange);
        if (window != null) {
            Responses.json(exchange, 200, StatsJson.write(stats.report(window.from(), window.to())));
        }
    }

    private void csv(HttpExchange exchange) throws IOException {
        Window window = window(exchange);
        if (window == null) {
            return;
        }
        StatsReport report = stats.report(window.from(), window.to());
        exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"appointments-" + report.from()
                + "-to-" + report.to() + ".csv\"");
        Responses.body(exchange, 200, "text/csv; charset=utf-8", StatsJson.csv(report).getBytes(StandardCharsets.UTF_8));
    }

    private void deliveries(HttpExchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        Map<String, String> query = Forms.parse(exchange.getRequestURI().getRawQuery());
        DeliveryState state = "dead".equals(query.getOrDefault("state", "failed")) ? DeliveryState.DEAD
                : "failed".equals(query.getOrDefault("state", "failed")) ? DeliveryState.FAILED : null;
        if (state == null) {
            Responses.error(exchange, 400, "state must be failed or dead");
            return;
        }
        List<DeliveryView> rows = ask(exchange, engine.inState(state, DELIVERIES_LISTED_MAX));
        if (rows != null) {
            Integer retried = query.containsKey("retried") ? parseCount(query.get("retried")) : null;
            Responses.body(exchange, 200, "text/html; charset=utf-8", DeliveriesPage.render(clinicName, state, rows,
                    DELIVERIES_LISTED_MAX, retried, zone()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void appointment(HttpExchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        String id = Forms.parse(exchange.getRequestURI().getRawQuery()).getOrDefault("id", "").strip();
        if (id.isEmpty() || id.length() > AppointmentPage.ID_CHARS_MAX) {
            Responses.error(exchange, 400, "give an appointment id of 1 to " + AppointmentPage.ID_CHARS_MAX + " characters");
            return;
        }
        Appointment appointment = ask(exchange, engine.queries.appointment(id));
        List<DeliveryView> messages = ask(exchange, engine.queries.forAppointment(id));
        if (messages != null) {
            Responses.body(exchange, 200, "text/html; charset=utf-8", AppointmentPage.render(clinicName, id, appointment,
                    messages, stats.isConfirmed(id), zone()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The window asked for, or null once a 400 (or 405) naming the choices was sent. */
    private Window window(HttpExchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return null;
        }
        Window.Parsed parsed = Window.parse(Forms.parse(exchange.getRequestURI().getRawQuery()), stats.today(),
                stats.oldestDayKept());
        if (parsed.problem() != null) {
            Responses.error(exchange, 400, parsed.problem());
        }
        return parsed.window();
    }

    /** The engine's answer, or null once a 503 was sent (it did not answer in time). */
    static <T> T ask(HttpExchange exchange, CompletableFuture<T> question) throws IOException {
        try {
            return question.get(ENGINE_WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException busy) {
            if (exchange.getResponseCode() < 0) {
                Responses.unavailable(exchange, "delivery engine busy");
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static boolean isGet(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        Responses.methodNotAllowed(exchange, "GET, HEAD");
        return false;
    }

    private static Integer parseCount(String value) {
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException notACount) {
            return null;
        }
    }
}
