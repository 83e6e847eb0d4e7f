package clinicrelay.cli;

import clinicrelay.config.Config;
import clinicrelay.config.ConfigException;
import clinicrelay.config.Secrets;
import clinicrelay.config.ZocdocEnvironment;
import clinicrelay.json.Json;
import clinicrelay.json.JsonObject;
import clinicrelay.signature.HexSignature;
import clinicrelay.signature.ZocdocV1Signature;
import clinicrelay.zocdoc.ZocdocApi;
import clinicrelay.zocdoc.ZocdocApiException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * {@code send-test}: posts one correctly signed sample event, like a platform's "send
 * test event" button, and prints the answer. Exit 0 on a 2xx.
 */
final class SendTestCommand {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The parsed options. */
    static final class Options {
        String url;
        String type = "appointment.created";
        String scheme = ZocdocV1Signature.NAME;
        String secret;
        String eventId;
        String appointmentId;
        String start;
        boolean thin;
        boolean viaZocdocSandbox;
    }

    private SendTestCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options options = new Options();
        String problem = parse(args, options);
        if (problem != null) {
            err.println("send-test: " + problem);
            err.println(CommandLine.USAGE_TEXT);
            return CommandLine.USAGE;
        }
        if (options.url == null && options.viaZocdocSandbox) {
            err.println("send-test: --via-zocdoc-sandbox needs --url https://<your public address>/webhook (Zocdoc must reach it)");
            return CommandLine.USAGE;
        }
        if (options.url == null) {
            options.url = "http://127.0.0.1:" + env.getOrDefault("PORT", "3000") + "/webhook";
        }
        try {
            if (options.secret == null) {
                options.secret = defaultSecret(env);
            }
        } catch (ConfigException | IOException e) {
            err.println("send-test: " + e.getMessage());
            return CommandLine.FAILED;
        }
        if (options.secret == null) {
            err.println("send-test: no secret: pass --secret, set ZOCDOC_WEBHOOK_SECRET, or run `make run` first"
                    + " (it writes data/demo-secret)");
            return CommandLine.FAILED;
        }
        if (options.start != null && (options.thin || options.viaZocdocSandbox)) {
            err.println("send-test: --start needs the full shape: a thin event carries no time (Zocdoc's API supplies it)");
            return CommandLine.USAGE;
        }
        OffsetDateTime start;
        try {
            Instant now = Instant.now();
            start = options.start == null ? SampleEvents.defaultStart(now) : SampleEvents.start(options.start, now, zone(env));
        } catch (IllegalArgumentException | java.time.DateTimeException unusable) {
            err.println("send-test: " + unusable.getMessage());
            return CommandLine.USAGE;
        }
        return options.viaZocdocSandbox ? askZocdocSandbox(options, env, out, err) : send(options, start, out, err);
    }

    /**
     * Asks Zocdoc's sandbox ({@code POST /v1/webhook/mock-request}) to deliver a signed mock
     * webhook to {@code --url}: the real sender, the real signature, the real network path.
     */
    private static int askZocdocSandbox(Options options, Map<String, String> env, PrintStream out, PrintStream err) {
        Config config = Config.inspect(env);
        if (!config.zocdocApiConfigured || config.zocdocEnvironment == null
                || !config.zocdocEnvironment.name().equals(ZocdocEnvironment.SANDBOX.name())) {
            err.println("send-test: --via-zocdoc-sandbox needs ZOCDOC_CLIENT_ID, ZOCDOC_CLIENT_SECRET and ZOCDOC_ENV=sandbox"
                    + " (mock webhooks exist only in Zocdoc's sandbox)");
            return CommandLine.FAILED;
        }
        String updateType = options.type.startsWith("appointment.") ? options.type.substring("appointment.".length()) : options.type;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
        try {
            new ZocdocApi(http, config.zocdocEnvironment, config.zocdocClientId, config.zocdocClientSecret, Clock.systemUTC())
                    .mockWebhook(options.url, options.secret, updateType);
            out.println("Zocdoc sandbox will POST a signed mock \"" + updateType + "\" webhook to " + options.url);
            return CommandLine.OK;
        } catch (ZocdocApiException refused) {
            err.println("send-test: Zocdoc sandbox refused the mock request: " + refused.getMessage());
            return CommandLine.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandLine.FAILED;
        }
    }

    private static String parse(String[] args, Options options) {
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--thin")) {
                options.thin = true;
                continue;
            }
            if (option.equals("--via-zocdoc-sandbox")) {
                options.viaZocdocSandbox = true;
                continue;
            }
            if (i + 1 >= args.length) {
                return "option " + option + " needs a value";
            }
            String value = args[++i];
            switch (option) {
                case "--url": options.url = value; break;
                case "--type": options.type = value; break;
                case "--secret": options.secret = value; break;
                case "--event-id": options.eventId = value; break;
                case "--appointment-id": options.appointmentId = value; break;
                case "--start": options.start = value; break;
                case "--scheme":
                    if (!value.equals(ZocdocV1Signature.NAME) && !value.equals(HexSignature.NAME)) {
                        return "--scheme " + value + ": must be " + ZocdocV1Signature.NAME + " or " + HexSignature.NAME;
                    }
                    options.scheme = value;
                    break;
                default:
                    return "unknown option " + option;
            }
        }
        return null;
    }

    /** The first configured webhook secret, else the demo secret from `make run`. */
    private static String defaultSecret(Map<String, String> env) throws ConfigException, IOException {
        Secrets.Secret configured = new Secrets(env).read("ZOCDOC_WEBHOOK_SECRET");
        if (configured != null) {
            return configured.value().split(",")[0].strip();
        }
        Path demo = Path.of(env.getOrDefault("DATA_DIR", "./data"), ServeCommand.DEMO_SECRET_FILE);
        return Files.isRegularFile(demo) ? Files.readString(demo, StandardCharsets.UTF_8).strip() : null;
    }

    /** CLINIC_TIMEZONE when set and valid, else UTC: how a local --start is read. */
    private static ZoneId zone(Map<String, String> env) {
        String name = env.get("CLINIC_TIMEZONE");
        return name == null || name.isBlank() ? ZoneOffset.UTC : ZoneId.of(name.strip());
    }

    private static int send(Options options, OffsetDateTime start, PrintStream out, PrintStream err) {
        Instant now = Instant.now();
        String appointmentId = options.appointmentId != null ? options.appointmentId : "appt_" + UUID.randomUUID();
        JsonObject event = options.thin
                ? SampleEvents.thin(options.type, appointmentId, now)
                : SampleEvents.full(options.eventId != null ? options.eventId : "evt_" + UUID.randomUUID(),
                        options.type, appointmentId, now, start);
        byte[] body = Json.writeBytes(event);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(options.url)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } catch (IllegalArgumentException badUrl) {
            err.println("send-test: --url " + options.url + " is not a usable URL");
            return CommandLine.USAGE;
        }
        if (options.scheme.equals(HexSignature.NAME)) {
            request.header(HexSignature.PRIMARY_HEADER, HexSignature.sign(options.secret, body));
        } else {
            long timestamp = now.getEpochSecond();
            request.header(ZocdocV1Signature.TIMESTAMP_HEADER, Long.toString(timestamp));
            request.header(ZocdocV1Signature.SIGNATURE_HEADER, ZocdocV1Signature.sign(options.secret, timestamp, body));
        }
        out.println("POST " + options.url + "  (" + (options.thin ? "thin" : "full") + " " + options.type
                + ", signed " + options.scheme + ", appointment " + appointmentId
                + (options.thin ? "" : ", starting " + start) + ")");
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            out.println("HTTP " + response.statusCode() + " " + response.body());
            return response.statusCode() / 100 == 2 ? CommandLine.OK : CommandLine.FAILED;
        } catch (IOException e) {
            err.println("send-test: no answer from " + options.url + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "). Is the server running? A connection closed without an answer means it could not store the event.");
            return CommandLine.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandLine.FAILED;
        }
    }
}
