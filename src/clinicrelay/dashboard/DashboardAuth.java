package clinicrelay.dashboard;

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
import java.util.Map;

/**
 * The gate in front of {@code /dashboard} and {@code /api/*} : without
 * {@code DASHBOARD_PASSWORD} they do not exist (404); with it, HTTP Basic as {@code admin},
 * compared in constant time; an address that fails {@link #FAILURES_MAX} times is locked
 * out for {@link #LOCKOUT}, doubling on each further lockout up to {@link #LOCKOUT_MAX}.
 * Every answer carries the headers of {@link SecureHeaders}.
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

    private final byte[] expected;
    private final Clock clock;
    private final Log log;
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

    /** @param password null when DASHBOARD_PASSWORD is not set: every route answers 404 */
    public DashboardAuth(String password, Clock clock, Log log) {
        this.expected = password == null ? null : digest(USER + ":" + password);
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

    /**
     * Who is trying: the peer, or, when the peer is a proxy on this machine (the README's TLS
     * proxy in front of a relay bound to 127.0.0.1), the client it names last in
     * {@code X-Forwarded-For}. Otherwise every request would come from 127.0.0.1, and anyone
     * could lock the administrator out with five wrong passwords. A remote peer's header is
     * ignored: anyone can write one.
     */
    static String clientAddress(HttpExchange exchange) {
        return clientAddress(exchange.getRemoteAddress().getAddress(), exchange.getRequestHeaders().getFirst("X-Forwarded-For"));
    }

    static String clientAddress(java.net.InetAddress peer, String forwarded) {
        if (peer.isLoopbackAddress() && forwarded != null && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].strip();
            if (!last.isEmpty() && last.length() <= ADDRESS_CHARS_MAX) {
                return last;
            }
        }
        return peer.getHostAddress();
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
