package clinicrelay.config;

import clinicrelay.journal.PhiCipher;
import clinicrelay.signature.HexSignature;
import clinicrelay.signature.ZocdocV1Signature;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings clinic-relay runs with, read once from the environment (and credential
 * files) and validated as a whole, so one run of check-config names every problem.
 * Defaults and meanings: README "Configuration".
 */
public final class Config {
    static final int DEFAULT_PORT = 3000;
    static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    static final String DEFAULT_DATA_DIR = "./data";
    /** How far a signed timestamp may be from now, either side: Zocdoc's documented 5 minutes. */
    static final long DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;
    static final String DEFAULT_CLINIC_NAME = "Your clinic";
    static final String DEFAULT_REMINDER_OFFSETS = "24h";
    static final String DEFAULT_QUIET_HOURS = "21:00-08:00";
    static final String DEFAULT_TWILIO_API_BASE = "https://api.twilio.com";
    static final String DEFAULT_SENDGRID_API_BASE = "https://api.sendgrid.com";
    static final String DEFAULT_ZOCDOC_SWEEP_INTERVAL = "15m";
    static final List<String> ALL_SCHEMES = List.of(ZocdocV1Signature.NAME, HexSignature.NAME);
    private final Map<String, String> env;
    private final Secrets secrets;
    private final List<String> problems = new ArrayList<>();
    /** What check-config prints: name → shown value (secrets as presence and length). */
    private final Map<String, String> report = new LinkedHashMap<>();

    public final int port;
    public final String bindAddress;
    public final Path dataDir;
    public final List<String> webhookSecrets;
    public final List<String> signatureSchemes;
    public final long timestampToleranceSeconds;
    public final String phiEncryptionKey;
    /** The key before a rotation, for one start: the data keys are re-wrapped under the new one. */
    public final String phiEncryptionKeyPrevious;
    /** PHI_ENCRYPTION=off: the operator accepts patient data in clear on disk (serve refuses otherwise without a key). */
    public final boolean phiEncryptionOff;
    /** How long after its visit week a patient's data stays readable: then its data key is destroyed. */
    public final Duration phiRetention;
    /** How long the journal's records (ids, times, states) are kept as an audit trail before whole segments go. */
    public final Duration journalRetention;
    /** Peers whose X-Forwarded-For is believed (the dashboard's lockout keys on the client they name). */
    public final TrustedProxies trustedProxies;
    /** When set, /metrics asks for {@code Authorization: Bearer <it>}. */
    public final String metricsToken;
    public final SmsCountries smsCountries;
    /** A port answering /health alone on threads of its own, or null (HEALTH_PORT unset). */
    public final Integer healthPort;
    /** Stored events waiting to be planned above which new webhooks are refused (the capacity guard). */
    public final int unplannedEventsMax;
    public final boolean zocdocApiConfigured;
    public final String zocdocClientId;
    public final String zocdocClientSecret;
    /** Token URL, audience and API host (ZOCDOC_ENV, with ZOCDOC_AUTH_URL / ZOCDOC_API_BASE overrides). */
    public final clinicrelay.config.ZocdocEnvironment zocdocEnvironment;
    /** How often the sweep lists appointments changed since the last one. */
    public final java.time.Duration zocdocSweepInterval;
    /** How long an event key is remembered for duplicate detection, behind the newest event. */
    public final Duration dedupeWindow;
    /** Lines {@code provider_id=Dr. Name}: the names patients see, or null. */
    public final Path providersFile;
    /** Enables /dashboard and /api/* (HTTP Basic, user admin); null leaves them answering 404. */
    public final String dashboardPassword;
    public final Path tlsKeystore;
    public final String tlsKeystorePassword;
    public final boolean dryRun;
    public final String clinicName;
    /** Null: show each appointment in its own UTC offset. */
    public final ZoneId clinicTimezone;
    public final List<Duration> reminderOffsets;
    public final QuietHours quietHours;
    public final SmsConsent smsConsent;
    /** Null when unset; Twilio callbacks cannot be verified (and are refused) without it. */
    public final String publicBaseUrl;
    public final Path templatesDir;
    public final String twilioAccountSid;
    public final String twilioAuthToken;
    public final String twilioPhoneNumber;
    public final String twilioMessagingServiceSid;
    public final URI twilioApiBase;
    public final String sendgridApiKey;
    public final String sendgridFromEmail;
    public final URI sendgridApiBase;
    /** Where a person is told of a new problem: an address mailed through SendGrid, a chat webhook; null when unset. */
    public final String alertEmail;
    public final URI alertWebhookUrl;
    /** The CRM sync, or null when SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET are not all set. */
    public final SalesforceSettings salesforce;
    /** Standard Webhooks keys for /webhooks/standard (empty: the route answers 404). */
    public final List<byte[]> standardWebhookKeys;
    /** Where stored events are forwarded (webhook URLs, a Kafka REST proxy), or null when nowhere. */
    public final ForwardSettings forwarding;
    /** The number patients call, for the "call us" lines in messages; null when unset. */
    public final String clinicPhone;

    private Config(Map<String, String> env) {
        this.env = env;
        this.secrets = new Secrets(env);
        port = integer("PORT", DEFAULT_PORT, 0, 65535);
        bindAddress = text("BIND_ADDRESS", DEFAULT_BIND_ADDRESS);
        dataDir = Path.of(text("DATA_DIR", DEFAULT_DATA_DIR));
        webhookSecrets = secretList("ZOCDOC_WEBHOOK_SECRET");
        signatureSchemes = schemes();
        timestampToleranceSeconds = integer("ZOCDOC_TIMESTAMP_TOLERANCE_SECONDS",
                (int) DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, 1, (int) SettingLimits.TIMESTAMP_TOLERANCE_SECONDS_MAX);
        phiEncryptionKey = phiKey("PHI_ENCRYPTION_KEY");
        phiEncryptionKeyPrevious = phiKey("PHI_ENCRYPTION_KEY_PREVIOUS");
        String encryption = text("PHI_ENCRYPTION", "on").toLowerCase(Locale.ROOT);
        phiEncryptionOff = "off".equals(encryption);
        if (!phiEncryptionOff && !"on".equals(encryption)) {
            problems.add("PHI_ENCRYPTION=" + encryption + " must be on or off");
        }
        if (phiEncryptionOff && phiEncryptionKey != null) {
            problems.add("PHI_ENCRYPTION=off and PHI_ENCRYPTION_KEY are both set: remove one");
        }
        phiRetention = Duration.ofDays(integer("PHI_RETENTION_DAYS", StorageLimits.DEFAULT_PHI_RETENTION_DAYS, StorageLimits.PHI_RETENTION_DAYS_MIN,
                StorageLimits.RETENTION_DAYS_MAX));
        journalRetention = Duration.ofDays(integer("JOURNAL_RETENTION_DAYS", StorageLimits.DEFAULT_JOURNAL_RETENTION_DAYS,
                StorageLimits.JOURNAL_RETENTION_DAYS_MIN, StorageLimits.RETENTION_DAYS_MAX));
        trustedProxies = parsed("TRUSTED_PROXIES", "", TrustedProxies::parse);
        metricsToken = secret("METRICS_TOKEN");
        smsCountries = parsed("SMS_ALLOWED_COUNTRIES", SmsCountries.DEFAULT, SmsCountries::parse);
        healthPort = text("HEALTH_PORT", null) == null ? null : integer("HEALTH_PORT", 0, 0, 65535);
        unplannedEventsMax = integer("CAPACITY_UNPLANNED_MAX", StorageLimits.DEFAULT_UNPLANNED_EVENTS_MAX, StorageLimits.UNPLANNED_EVENTS_MAX_MIN,
                StorageLimits.UNPLANNED_EVENTS_MAX_MAX);
        zocdocClientId = text("ZOCDOC_CLIENT_ID", null);
        zocdocClientSecret = secret("ZOCDOC_CLIENT_SECRET");
        zocdocApiConfigured = zocdocClientId != null && zocdocClientSecret != null;
        clinicrelay.config.ZocdocEnvironment environment = parsed("ZOCDOC_ENV", "production",
                clinicrelay.config.ZocdocEnvironment::named);
        URI authUrl = parsed("ZOCDOC_AUTH_URL", null, value -> Urls.provider("ZOCDOC_AUTH_URL", value));
        URI apiBase = parsed("ZOCDOC_API_BASE", null, value -> Urls.provider("ZOCDOC_API_BASE", value));
        if ((zocdocClientId == null) != (zocdocClientSecret == null)) {
            problems.add(zocdocClientId == null ? "ZOCDOC_CLIENT_SECRET is set without ZOCDOC_CLIENT_ID"
                    : "ZOCDOC_CLIENT_ID is set without ZOCDOC_CLIENT_SECRET: thin events could not be completed");
        }
        zocdocEnvironment = environment == null ? null : environment.withOverrides(authUrl, apiBase);
        zocdocSweepInterval = parsed("ZOCDOC_SWEEP_INTERVAL", DEFAULT_ZOCDOC_SWEEP_INTERVAL,
                value -> Durations.parse("ZOCDOC_SWEEP_INTERVAL", value, SettingLimits.ZOCDOC_SWEEP_INTERVAL_MIN, SettingLimits.ZOCDOC_SWEEP_INTERVAL_MAX));
        dedupeWindow = parsed("DEDUPE_WINDOW", SettingLimits.DEFAULT_DEDUPE_WINDOW,
                value -> Durations.parse("DEDUPE_WINDOW", value, SettingLimits.DEDUPE_WINDOW_MIN, SettingLimits.DEDUPE_WINDOW_MAX));
        dashboardPassword = secret("DASHBOARD_PASSWORD");
        if (dashboardPassword != null && dashboardPassword.length() < SettingLimits.DASHBOARD_PASSWORD_CHARS_MIN) {
            problems.add("DASHBOARD_PASSWORD must be at least " + SettingLimits.DASHBOARD_PASSWORD_CHARS_MIN + " characters");
        }
        String providers = text("PROVIDERS_FILE", null);
        providersFile = providers == null ? null : Path.of(providers);
        String keystore = text("TLS_KEYSTORE", null);
        tlsKeystore = keystore == null ? null : Path.of(keystore);
        tlsKeystorePassword = secret("TLS_KEYSTORE_PASSWORD");
        dryRun = bool("DRY_RUN", false);
        clinicName = text("CLINIC_NAME", DEFAULT_CLINIC_NAME);
        clinicTimezone = parsed("CLINIC_TIMEZONE", null, ClinicZone::parse);
        reminderOffsets = parsed("REMINDER_OFFSETS", DEFAULT_REMINDER_OFFSETS, ReminderOffsets::parse);
        quietHours = parsed("QUIET_HOURS", DEFAULT_QUIET_HOURS, QuietHours::parse);
        smsConsent = parsed("SMS_CONSENT", SmsConsent.DEFAULT, SmsConsent::parse);
        publicBaseUrl = parsed("PUBLIC_BASE_URL", null, value -> Urls.http("PUBLIC_BASE_URL", value).toString().replaceAll("/+$", ""));
        String templates = text("TEMPLATES_DIR", null);
        templatesDir = templates == null ? null : Path.of(templates);
        twilioAccountSid = text("TWILIO_ACCOUNT_SID", null);
        twilioAuthToken = secret("TWILIO_AUTH_TOKEN");
        twilioPhoneNumber = text("TWILIO_PHONE_NUMBER", null);
        twilioMessagingServiceSid = text("TWILIO_MESSAGING_SERVICE_SID", null);
        twilioApiBase = parsed("TWILIO_API_BASE", DEFAULT_TWILIO_API_BASE, value -> Urls.provider("TWILIO_API_BASE", value));
        sendgridApiKey = secret("SENDGRID_API_KEY");
        sendgridFromEmail = text("SENDGRID_FROM_EMAIL", null);
        sendgridApiBase = parsed("SENDGRID_API_BASE", DEFAULT_SENDGRID_API_BASE, value -> Urls.provider("SENDGRID_API_BASE", value));
        alertEmail = text("ALERT_EMAIL", null);
        alertWebhookUrl = secretParsed("ALERT_WEBHOOK_URL", Urls::secretProvider, null); // a chat webhook's URL is its password
        clinicPhone = text("CLINIC_PHONE", null);
        salesforce = SalesforceSettings.read(this);
        forwarding = ForwardSettings.read(this);
        standardWebhookKeys = secretParsed("STANDARD_WEBHOOK_SECRET",
                value -> StandardWebhookKeys.parse("STANDARD_WEBHOOK_SECRET", value), List.of());
        if (twilioAccountSid != null && twilioAuthToken != null && twilioPhoneNumber == null && twilioMessagingServiceSid == null) {
            problems.add("TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID is needed to send SMS from TWILIO_ACCOUNT_SID");
        }
        for (String name : Secrets.NAMES) {
            if (!report.containsKey(name)) {
                secret(name);
            }
        }
    }

    /** Reads and checks every setting; @throws ConfigException listing every problem, one per line. */
    public static Config load(Map<String, String> env) throws ConfigException {
        Config config = new Config(env);
        if (!config.problems.isEmpty()) {
            throw new ConfigException(String.join("\n", config.problems));
        }
        return config;
    }

    /** Reads every setting without failing, for check-config. */
    public static Config inspect(Map<String, String> env) {
        return new Config(env);
    }

    /** Variables whose value this process could not decode (see {@link UndecodableText}). */
    public List<String> undecodableVariables() {
        return UndecodableText.in(env);
    }

    void problem(String problem) {
        problems.add(problem);
    }

    /** Replaces what check-config shows for {@code name} (a value that may hold a credential). */
    void shown(String name, String value) {
        report.put(name, value);
    }

    boolean isSet(String name) {
        return env.containsKey(name);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public Map<String, String> report() {
        return Map.copyOf(report);
    }

    /** Report entries in the order read. */
    public List<Map.Entry<String, String>> reportInOrder() {
        return List.copyOf(report.entrySet());
    }

    /** Twilio sends SMS only with both credentials; otherwise SMS go to the dry-run outbox. */
    public boolean twilioConfigured() {
        return twilioAccountSid != null && twilioAuthToken != null;
    }

    /** SendGrid sends email only with a key and a sender; otherwise email goes to the dry-run outbox. */
    public boolean sendgridConfigured() {
        return sendgridApiKey != null && sendgridFromEmail != null;
    }

    /** A setting parsed by {@code parser}, whose IllegalArgumentException (or DateTimeException) becomes a problem. */
    <T> T parsed(String name, String fallback, java.util.function.Function<String, T> parser) {
        String value = text(name, fallback);
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException | java.time.DateTimeException unusable) {
            problems.add(unusable.getMessage() != null && unusable.getMessage().contains(name)
                    ? unusable.getMessage() : name + "=" + value + " is not usable: " + unusable.getMessage());
            return fallback == null ? null : parser.apply(fallback);
        }
    }

    String text(String name, String fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            report.put(name, fallback == null ? "(not set)" : fallback + " (default)");
            return fallback;
        }
        report.put(name, value.strip());
        return value.strip();
    }

    private int integer(String name, int fallback, int min, int max) {
        String value = text(name, Integer.toString(fallback));
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problems.add(name + "=" + value + " is not a whole number from " + min + " to " + max);
        return fallback;
    }

    boolean bool(String name, boolean fallback) {
        String value = text(name, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        switch (value) {
            case "true": case "yes": case "1": return true;
            case "false": case "no": case "0": return false;
            default:
                problems.add(name + "=" + value + " must be true or false");
                return fallback;
        }
    }

    /** A PHI key: base64 of 32 bytes, or a problem naming the variable (never the key). */
    private String phiKey(String name) {
        String key = secret(name);
        if (key != null) {
            try {
                PhiCipher.fromBase64(key, null);
            } catch (IllegalArgumentException unusable) {
                problems.add(unusable.getMessage().replace("PHI_ENCRYPTION_KEY", name));
            }
        }
        return key;
    }

    String secret(String name) {
        try {
            Secrets.Secret secret = secrets.read(name);
            if (secret == null) {
                report.put(name, "missing");
                return null;
            }
            report.put(name, "present, " + secret.value().length() + " characters, from " + secret.origin());
            return secret.value();
        } catch (ConfigException unreadable) {
            report.put(name, "unreadable");
            problems.add(unreadable.getMessage());
            return null;
        }
    }

    /** A secret parsed by {@code parser}, whose IllegalArgumentException (never quoting the value) is a problem. */
    <T> T secretParsed(String name, java.util.function.Function<String, T> parser, T absent) {
        String value = secret(name);
        try {
            return value == null ? absent : parser.apply(value);
        } catch (IllegalArgumentException unusable) {
            problems.add(unusable.getMessage());
            return absent;
        }
    }

    /** A comma-separated list of secrets (rotation): blanks dropped, each one non-empty. */
    private List<String> secretList(String name) {
        String value = secret(name);
        List<String> list = new ArrayList<>();
        if (value == null) {
            return list;
        }
        for (String part : value.split(",")) {
            String secret = part.strip();
            if (secret.isEmpty()) {
                continue;
            }
            if (secret.length() < SettingLimits.WEBHOOK_SECRET_CHARS_MIN) {
                problems.add(name + ": each secret needs at least " + SettingLimits.WEBHOOK_SECRET_CHARS_MIN
                        + " characters, one has " + secret.length() + " (generate one with: openssl rand -base64 32)");
            }
            list.add(secret);
        }
        if (list.size() > 1) {
            report.put(name, report.get(name) + ", " + list.size() + " secrets (rotation)");
        }
        return list;
    }

    private List<String> schemes() {
        String value = text("ZOCDOC_SIGNATURE_SCHEMES", String.join(",", ALL_SCHEMES));
        List<String> schemes = new ArrayList<>();
        for (String part : value.split(",")) {
            String scheme = part.strip().toLowerCase(Locale.ROOT);
            if (ALL_SCHEMES.contains(scheme)) {
                schemes.add(scheme);
            } else if (!scheme.isEmpty()) {
                problems.add("ZOCDOC_SIGNATURE_SCHEMES: unknown scheme '" + scheme + "' (known: "
                        + String.join(", ", ALL_SCHEMES) + ")");
            }
        }
        if (schemes.isEmpty()) {
            problems.add("ZOCDOC_SIGNATURE_SCHEMES enables no scheme");
        }
        return schemes;
    }
}
