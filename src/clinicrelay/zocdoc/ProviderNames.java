package clinicrelay.zocdoc;

import clinicrelay.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider names patients see: {@code PROVIDERS_FILE} first (lines
 * {@code provider_id=Dr. Jane Smith}), else Zocdoc's provider-location API (cached), else
 * nothing, and the message says "your provider". Never a raw id.
 */
public final class ProviderNames {
    /** Names kept from the API; a clinic has a handful of providers, a directory a few hundred. */
    static final int CACHE_MAX = 1_000;
    /** How long a lookup that found no name is not tried again. */
    static final Duration MISS_RETRY = Duration.ofHours(1);
    /** Longest line and name accepted from the file. */
    static final int LINE_CHARS_MAX = 300;
    static final int NAME_CHARS_MAX = 100;

    private final Map<String, String> configured;
    private final ZocdocApi api;
    private final Clock clock;
    private final Map<String, String> cached = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHE_MAX;
        }
    };
    private final Map<String, Instant> missedUntil = new HashMap<>();

    /** @param api null when the API is not configured */
    public ProviderNames(Map<String, String> configured, ZocdocApi api, Clock clock) {
        this.configured = Map.copyOf(configured);
        this.api = api;
        this.clock = clock;
    }

    /**
     * Reads {@code provider_id=Display Name} lines; blank lines and lines starting with #
     * are skipped. A line that is not of that form is an error naming its line number.
     */
    public static Map<String, String> readFile(Path file) throws IOException {
        Map<String, String> names = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (line.length() > LINE_CHARS_MAX || eq <= 0 || eq == line.length() - 1
                    || line.substring(eq + 1).strip().length() > NAME_CHARS_MAX) {
                throw new IOException("PROVIDERS_FILE " + file + " line " + (i + 1)
                        + ": expected provider_id=Display Name (name at most " + NAME_CHARS_MAX + " characters)");
            }
            names.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return names;
    }

    /**
     * The name for a provider, or null when none is known.
     *
     * @param providerLocationId Zocdoc's {@code pr_…|lo_…}, used to ask the API; may be null
     */
    public String nameFor(String providerId, String providerLocationId) throws InterruptedException {
        if (providerId != null && configured.containsKey(providerId)) {
            return configured.get(providerId);
        }
        if (api == null || providerId == null || providerLocationId == null) {
            return null;
        }
        synchronized (this) {
            String known = cached.get(providerId);
            Instant retryAt = missedUntil.get(providerId);
            if (known != null || retryAt != null && clock.instant().isBefore(retryAt)) {
                return known;
            }
        }
        String name = null;
        try {
            JsonObject provider = api.providerLocation(providerLocationId).object("provider");
            name = provider == null ? null : displayName(provider);
        } catch (ZocdocApiException unavailable) {
            // a message saying "your provider" beats a message held back for a name
        }
        synchronized (this) {
            if (name != null) {
                cached.put(providerId, name);
                missedUntil.remove(providerId);
            } else {
                if (missedUntil.size() >= CACHE_MAX) {
                    missedUntil.clear();
                }
                missedUntil.put(providerId, clock.instant().plus(MISS_RETRY));
            }
        }
        return name;
    }

    /** {@code full_name}, else title, first and last name; null when there is none. */
    static String displayName(JsonObject provider) {
        String full = provider.string("full_name");
        if (full != null && !full.isBlank()) {
            return cut(full.strip());
        }
        StringBuilder name = new StringBuilder();
        for (String part : new String[] {provider.string("title"), provider.string("first_name"), provider.string("last_name")}) {
            if (part != null && !part.isBlank()) {
                name.append(name.length() == 0 ? "" : " ").append(part.strip());
            }
        }
        return name.length() == 0 ? null : cut(name.toString());
    }

    private static String cut(String name) {
        return name.length() <= NAME_CHARS_MAX ? name : name.substring(0, NAME_CHARS_MAX);
    }
}
