package clinicrelay.dashboard;

import clinicrelay.config.TrustedProxies;
import clinicrelay.http.Responses;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The gate in front of {@code /dashboard} and {@code /api/*} : without
 * {@code DASHBOARD_PASSWORD} they do not exist (404); with it, HTTP Basic as {@code admin},
 * compared in constant time; an address that fails {@link #FAILURES_MAX} times is locked
 * out for {@link #LOCKOUT}, doubling on each further lockout up to {@link #LOCKOUT_MAX}.
 * The address is the peer's, or behind TRUSTED_PROXIES the client they name
 * ({@link TrustedProxies}). Past {@link #GLOBAL_FAILURES_PER_MINUTE_MAX} failures a minute
 * from everywhere together, every attempt waits for the next minute: no choice of
 * addresses allows faster guessing (the price: such a flood shuts the administrator out
 * too, a minute at a time). The Host header must name this relay (its PUBLIC_BASE_URL host,
 * localhost, or an address literal): a page of another site that a DNS trick points here
 * is refused (421). Every answer carries the headers of {@link SecureHeaders}.
 */
public final class DashboardAuth {
    public static final String USER = "admin";
    static final int FAILURES_MAX = 5;
    static final Duration LOCKOUT = Duration.ofMinutes(1);
    static final Duration LOCKOUT_MAX = Duration.ofHours(1);
    /** Addresses remembered; the oldest is forgotten beyond this (a flood from many addresses cannot grow memory). */
    static final int ADDRESSES_MAX = 10_000;
    static final String REALM = "clinic-relay";
    /** Longest forwarded address taken as a key (an IPv6 address with zone fits). */
    static final int ADDRESS_CHARS_MAX = 64;
    /** Failed logins a minute from all addresses together before every attempt waits. */
    static final int GLOBAL_FAILURES_PER_MINUTE_MAX = 30;

    private final byte[] expected;
    private final TrustedProxies proxies;
    private final String publicHost;
    private final Clock clock;
    private final Log log;
    private long globalMinute;
    private int globalFailures;
    private final Map<String, Attempts> byAddress = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Attempts> eldest) {
            return size() > ADDRESSES_MAX;
        }
    };

    private static final class Attempts {
        int failures;
        int lockouts;
        Instant lockedUntil = Instant.MIN;
    }

    /** Without proxies or a public address (tests). */
    public DashboardAuth(String password, Clock clock, Log log) {
        this(password, TrustedProxies.NONE, null, clock, log);
    }

    /**
     * @param password      null when DASHBOARD_PASSWORD is not set: every route answers 404
     * @param publicBaseUrl PUBLIC_BASE_URL, whose host the Host header may name (null: none)
     */
    public DashboardAuth(String password, TrustedProxies proxies, String publicBaseUrl, Clock clock, Log log) {
        this.expected = password == null ? null : digest(USER + ":" + password);
        this.proxies = proxies;
        this.publicHost = publicBaseUrl == null ? null : java.net.URI.create(publicBaseUrl).getHost().toLowerCase(Locale.ROOT);
        this.clock = clock;
        this.log = log;
    }

    /** {@code handler} behind the gate. */
    public HttpHandler guard(HttpHandler handler) {
        return exchange -> {
            SecureHeaders.apply(exchange);
            if (expected == null) {
                Responses.error(exchange, 404, "not found");
                return;
            }
            if (!isOurHost(exchange.getRequestHeaders().getFirst("Host"))) {
                log.warnThrottled("dashboard_host", "dashboard: a request for another host was refused", Field.status(421));
                Responses.error(exchange, 421, "this relay does not answer for that host");
                return;
            }
            if (admitted(exchange)) {
                handler.handle(exchange);
            }
        };
    }

    /** True when the request carries the right credentials; otherwise the answer (401 or 429) is sent. */
    private boolean admitted(HttpExchange exchange) throws IOException {
        String address = clientAddress(exchange);
        Instant now = clock.instant();
        synchronized (byAddress) {
            long minute = now.getEpochSecond() / 60;
            if (minute == globalMinute && globalFailures >= GLOBAL_FAILURES_PER_MINUTE_MAX) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(60 - now.getEpochSecond() % 60));
                Responses.error(exchange, 429, "too many failed logins, try again later");
                return false;
            }
            Attempts attempts = byAddress.get(address);
            if (attempts != null && now.isBefore(attempts.lockedUntil)) {
                exchange.getResponseHeaders().set("Retry-After",
                        Long.toString(Math.max(1, Duration.between(now, attempts.lockedUntil).getSeconds())));
                Responses.error(exchange, 429, "too many failed logins, try again later");
                return false;
            }
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && MessageDigest.isEqual(expected, digest(decodeBasic(header)))) {
            synchronized (byAddress) {
                byAddress.remove(address);
            }
            return true;
        }
        if (header != null) {
            failed(address, now);
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        Responses.error(exchange, 401, "authentication required");
        return false;
    }

    private void failed(String address, Instant now) {
        synchronized (byAddress) {
            long minute = now.getEpochSecond() / 60;
            if (minute != globalMinute) {
                globalMinute = minute;
                globalFailures = 0;
            }
            if (++globalFailures == GLOBAL_FAILURES_PER_MINUTE_MAX) {
                log.warn("dashboard: too many failed logins from everywhere; every login waits until the minute ends",
                        Field.count("failures", globalFailures));
            }
            Attempts attempts = byAddress.computeIfAbsent(address, a -> new Attempts());
            if (++attempts.failures < FAILURES_MAX) {
                return;
            }
            attempts.failures = 0;
            Duration lockout = LOCKOUT.multipliedBy(1L << Math.min(attempts.lockouts++, 6));
            attempts.lockedUntil = now.plus(lockout.compareTo(LOCKOUT_MAX) > 0 ? LOCKOUT_MAX : lockout);
        }
        log.warnThrottled("dashboard_lockout", "dashboard: repeated failed logins, address locked out for a while",
                Field.reason("lockout"));
    }

    /** Who is trying: the peer, or the client a trusted proxy names (see {@link TrustedProxies}). */
    private String clientAddress(HttpExchange exchange) {
        String client = proxies.clientOf(exchange.getRemoteAddress().getAddress(),
                exchange.getRequestHeaders().get("X-Forwarded-For"));
        return client.length() <= ADDRESS_CHARS_MAX ? client : exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    /** localhost, an address literal (no DNS trick can produce one), or PUBLIC_BASE_URL's host; with any port. */
    boolean isOurHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return host.indexOf(']') > 0; // an IPv6 literal
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        return host.equals("localhost") || host.equals(publicHost) || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** {@code Basic base64(user:password)} → {@code user:password}, or "" when malformed. */
    private static String decodeBasic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return "";
        }
    }

    /** Compared as SHA-256 digests: equal length, so the comparison time says nothing of the password. */
    private static byte[] digest(String credentials) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(credentials.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
