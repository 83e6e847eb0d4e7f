package clinicrelay.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where every stored event goes on to: webhook receivers ({@code FORWARD_URLS}, signed the
 * Standard Webhooks way with {@code FORWARD_SECRET}) and a Kafka REST proxy
 * ({@code FORWARD_KAFKA_REST_URL} and {@code FORWARD_KAFKA_TOPIC}, with optional Basic
 * credentials). Patient fields leave only with {@code FORWARD_INCLUDE_PHI=true}.
 *
 * @param webhookUrls   empty when no receiver is set
 * @param signingKeys   FORWARD_SECRET's keys, newest first (each signs every request during a rotation)
 * @param kafkaRestUrl  null without a Kafka sink
 * @param kafkaPassword null without Basic credentials
 */
public record ForwardSettings(List<URI> webhookUrls, List<byte[]> signingKeys, boolean includePhi, URI kafkaRestUrl,
                              String kafkaTopic, String kafkaUsername, String kafkaPassword) {
    /** Receivers one relay feeds at most: each has a thread and a cursor holding journal back. */
    public static final int WEBHOOK_TARGETS_MAX = 8;
    /** What Kafka accepts as a topic name. */
    static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public ForwardSettings {
        webhookUrls = List.copyOf(webhookUrls);
        signingKeys = List.copyOf(signingKeys);
    }

    public boolean hasKafka() {
        return kafkaRestUrl != null;
    }

    /**
     * A forwarding address: https (plain http only to this machine), without credentials in
     * it. Never quoted in a problem: a receiver's URL may carry a token in its path.
     */
    private static URI receiver(Config config, String name, String value) {
        try {
            URI url = Urls.provider("url", value);
            if (url.getRawUserInfo() != null) {
                config.problem(name + ": put no user or password in the URL (for Kafka: FORWARD_KAFKA_USERNAME and"
                        + " FORWARD_KAFKA_PASSWORD)");
                return null;
            }
            return url;
        } catch (IllegalArgumentException unusable) {
            config.problem(name + ": each address must be an https URL (plain http only to this machine)");
            return null;
        }
    }

    /** Scheme, host and port: what may be shown of an address. */
    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    /** The settings when anything is forwarded, else null; every mistake is a problem on {@code config}. */
    static ForwardSettings read(Config config) {
        List<URI> urls = new ArrayList<>();
        String list = config.text("FORWARD_URLS", null);
        if (list != null) {
            for (String part : list.split(",")) {
                URI url = part.isBlank() ? null : receiver(config, "FORWARD_URLS", part.strip());
                if (url != null && !urls.contains(url)) {
                    urls.add(url);
                }
            }
        }
        if (list != null) {
            config.shown("FORWARD_URLS", urls.size() + " receiver(s): " + String.join(", ",
                    urls.stream().map(url -> origin(url) + "/…").toList()));
        }
        if (urls.size() > WEBHOOK_TARGETS_MAX) {
            config.problem("FORWARD_URLS lists " + urls.size() + " receivers; at most " + WEBHOOK_TARGETS_MAX
                    + " (fan out further downstream)");
        }
        String secret = config.secret("FORWARD_SECRET");
        List<byte[]> keys = List.of();
        try {
            keys = secret == null ? keys : StandardWebhookKeys.parse("FORWARD_SECRET", secret);
        } catch (IllegalArgumentException unusable) {
            config.problem(unusable.getMessage());
        }
        if (!urls.isEmpty() && secret == null) {
            config.problem("FORWARD_URLS is set without FORWARD_SECRET: events are never sent unsigned (generate one with:"
                    + " echo whsec_$(openssl rand -base64 32))");
        }
        boolean includePhi = config.bool("FORWARD_INCLUDE_PHI", false);
        String kafkaText = config.text("FORWARD_KAFKA_REST_URL", null);
        URI kafka = kafkaText == null ? null : receiver(config, "FORWARD_KAFKA_REST_URL", kafkaText);
        if (kafkaText != null) {
            config.shown("FORWARD_KAFKA_REST_URL", kafka != null ? origin(kafka) + "/…" : "set, not usable (not shown)");
        }
        String topic = config.text("FORWARD_KAFKA_TOPIC", null);
        String username = config.text("FORWARD_KAFKA_USERNAME", null);
        String password = config.secret("FORWARD_KAFKA_PASSWORD");
        if ((kafka == null) != (topic == null) && !(kafka == null && kafkaText != null)) {
            config.problem(kafka == null ? "FORWARD_KAFKA_TOPIC is set without FORWARD_KAFKA_REST_URL"
                    : "FORWARD_KAFKA_REST_URL is set without FORWARD_KAFKA_TOPIC: nothing would be produced");
        }
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            config.problem("FORWARD_KAFKA_TOPIC=" + topic + " is not a Kafka topic name (letters, digits, . _ -; at most 249)");
        }
        if ((username == null) != (password == null)) {
            config.problem("FORWARD_KAFKA_USERNAME and FORWARD_KAFKA_PASSWORD go together (Basic auth), or neither");
        }
        if (username != null && username.indexOf(':') >= 0) {
            config.problem("FORWARD_KAFKA_USERNAME cannot hold ':' (Basic auth splits on it)");
        }
        if (urls.isEmpty() && kafka == null) {
            if (includePhi || secret != null) {
                config.problem("FORWARD_SECRET or FORWARD_INCLUDE_PHI is set, but FORWARD_URLS and FORWARD_KAFKA_REST_URL"
                        + " are not: nothing is forwarded");
            }
            return null;
        }
        return new ForwardSettings(urls, keys, includePhi, kafka, topic, username, password);
    }
}
