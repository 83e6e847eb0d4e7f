package clinicrelay.cli;

import clinicrelay.app.PhiProtection;
import clinicrelay.channel.DryRunOutbox;
import clinicrelay.config.Config;
import clinicrelay.event.Redaction;
import clinicrelay.journal.DataKeys;
import clinicrelay.journal.RecordCodec;
import clinicrelay.json.Json;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import clinicrelay.log.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code outbox [--redact|--no-redact]}: the dry-run outbox, one JSON line per message,
 * recipients and texts opened with the PHI key (PHI_ENCRYPTION_KEY, else the demo's key
 * file) and masked unless {@code --no-redact}. Reads only.
 */
final class OutboxCommand {
    /** The fields of a line that are patient data. */
    private static final Set<String> PATIENT_FIELDS = Set.of("to", "subject", "body");

    private OutboxCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean redact = true;
        for (String arg : args) {
            if (arg.equals("--no-redact")) {
                redact = false;
            } else if (!arg.equals("--redact")) {
                err.println("outbox: unknown option " + arg);
                return CommandLine.USAGE;
            }
        }
        Map<String, String> withKey = new HashMap<>(env);
        Path dataDir = Path.of(env.getOrDefault("DATA_DIR", "./data"));
        Path demoKey = dataDir.resolve(ServeCommand.DEMO_PHI_KEY_FILE);
        try {
            if (!env.containsKey("PHI_ENCRYPTION_KEY") && Files.isRegularFile(demoKey)) {
                withKey.put("PHI_ENCRYPTION_KEY", Files.readString(demoKey, StandardCharsets.UTF_8).strip());
            }
            RecordCodec codec = PhiProtection.forReading(Config.inspect(withKey), Clock.systemUTC(), new Log(err, Clock.systemUTC()));
            Path file = dataDir.resolve(DryRunOutbox.FILE_NAME);
            if (!Files.exists(file)) {
                err.println("outbox: " + file + " does not exist (nothing sent in a dry run yet)");
                return CommandLine.OK;
            }
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    JsonObject opened = DryRunOutbox.opened(Json.parseObject(line.getBytes(StandardCharsets.UTF_8)), codec);
                    out.println(redact ? masked(opened) : opened.toString());
                }
            }
            return CommandLine.OK;
        } catch (IOException | JsonException | DataKeys.KeyFileException | IllegalArgumentException unreadable) {
            err.println("outbox: " + unreadable.getMessage());
            return CommandLine.FAILED;
        }
    }

    private static String masked(JsonObject line) {
        JsonObject copy = new JsonObject();
        line.members().forEach((name, value) -> copy.put(name, !PATIENT_FIELDS.contains(name) || !(value instanceof String text)
                ? value : name.equals("body") ? "[" + text.length() + " characters redacted]"
                : text.startsWith("+") ? Redaction.maskPhone(text) : "•••"));
        return copy.toString();
    }
}
