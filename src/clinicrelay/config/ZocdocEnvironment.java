package clinicrelay.config;

import java.net.URI;
import java.util.Locale;

/**
 * Where Zocdoc's partner API lives (docs/providers.md "Zocdoc"): the token URL, the
 * audience the token is for, and the API host, per {@code ZOCDOC_ENV}. Tests and unusual
 * set-ups override the URLs with {@code ZOCDOC_AUTH_URL} and {@code ZOCDOC_API_BASE}.
 */
public record ZocdocEnvironment(String name, URI tokenUrl, String audience, URI apiBase) {
    public static final ZocdocEnvironment PRODUCTION = new ZocdocEnvironment("production",
            URI.create("https://auth.zocdoc.com/oauth/token"), "https://api-developer.zocdoc.com/",
            URI.create("https://api-developer.zocdoc.com"));
    public static final ZocdocEnvironment SANDBOX = new ZocdocEnvironment("sandbox",
            URI.create("https://auth-api-developer-sandbox.zocdoc.com/oauth/token"), "https://api-developer-sandbox.zocdoc.com/",
            URI.create("https://api-developer-sandbox.zocdoc.com"));

    /** {@code production} or {@code sandbox}; anything else is refused with the known names. */
    public static ZocdocEnvironment named(String name) {
        switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "production": return PRODUCTION;
            case "sandbox": return SANDBOX;
            default: throw new IllegalArgumentException("ZOCDOC_ENV must be production or sandbox, not '" + name + "'");
        }
    }

    /** The same environment with overridden URLs (null keeps the default). */
    public ZocdocEnvironment withOverrides(URI tokenUrlOverride, URI apiBaseOverride) {
        return new ZocdocEnvironment(name, tokenUrlOverride != null ? tokenUrlOverride : tokenUrl, audience,
                apiBaseOverride != null ? apiBaseOverride : apiBase);
    }
}
