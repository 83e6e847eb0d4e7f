package clinicrelay.cli;

import clinicrelay.app.PhiProtection;
import clinicrelay.config.Config;
import clinicrelay.event.Redaction;
import clinicrelay.journal.Backup;
import clinicrelay.journal.DataKeys;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalReader;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import clinicrelay.log.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * {@code journal verify} and {@code journal dump}: read-only views of DATA_DIR/journal,
 * safe to run next to a live server (they never truncate or write).
 */
final class JournalCommand {
    private JournalCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("journal: say verify, dump or backup DIR");
            return CommandLine.USAGE;
        }
        Config config = Config.inspect(env);
        RecordCodec codec;
        try {
            codec = PhiProtection.forReading(config, Clock.systemUTC(), new Log(err, Clock.systemUTC()));
        } catch (IllegalArgumentException | DataKeys.KeyFileException | IOException badKey) {
            err.println("journal: " + badKey.getMessage());
            return CommandLine.FAILED;
        }
        Path dir = Journal.directoryIn(config.dataDir);
        switch (args[0]) {
            case "verify":
                return verify(dir, codec, out, err);
            case "backup":
                if (args.length != 2) {
                    err.println("journal backup: say where, e.g. journal backup /var/backups/clinic-relay");
                    return CommandLine.USAGE;
                }
                return backup(config.dataDir, Path.of(args[1]), out, err);
            case "dump":
                boolean redact = true;
                for (int i = 1; i < args.length; i++) {
                    if (args[i].equals("--no-redact")) {
                        redact = false;
                    } else if (!args[i].equals("--redact")) {
                        err.println("journal dump: unknown option " + args[i]);
                        return CommandLine.USAGE;
                    }
                }
                return dump(dir, codec, redact, out, err);
            default:
                err.println("journal: unknown action '" + args[0] + "' (verify, dump or backup DIR)");
                return CommandLine.USAGE;
        }
    }

    private static int verify(Path dir, RecordCodec codec, PrintStream out, PrintStream err) {
        long[] keyProblems = {0};
        long[] erased = {0};
        JournalReader.Report report;
        try {
            report = JournalReader.read(dir, record -> {
                if (codec.keyProblem(record) != null) {
                    keyProblems[0]++;
                }
                if (codec.isErased(record)) {
                    erased[0]++;
                }
                try {
                    record.publicPart();
                } catch (JsonException e) {
                    throw new JournalCorruptException(record.segment(), record.offset(), "public part is not JSON");
                }
            });
        } catch (JournalCorruptException | IOException e) {
            err.println("journal verify: " + e.getMessage());
            return CommandLine.FAILED;
        }
        out.println("journal " + dir + ": " + report.records() + " records in " + report.segments()
                + " segments, every checksum good");
        if (erased[0] > 0) {
            out.println(erased[0] + " records' patient data is erased (its data keys destroyed by PHI_RETENTION_DAYS)");
        }
        if (report.tornAt() >= 0) {
            out.println("note: torn tail in " + report.newestSegment() + " at offset " + report.tornAt() + " ("
                    + report.tornReason() + "): an interrupted, unacknowledged write; serve truncates it at start");
        }
        if (keyProblems[0] > 0) {
            err.println("journal verify: " + keyProblems[0] + " records hold encrypted patient data that the configured"
                    + " PHI_ENCRYPTION_KEY cannot open");
            return CommandLine.FAILED;
        }
        return CommandLine.OK;
    }

    /** A consistent copy while the server runs; see {@link Backup}. */
    private static int backup(Path dataDir, Path target, PrintStream out, PrintStream err) {
        try {
            Backup.Result result = Backup.take(dataDir, target, new Log(err, Clock.systemUTC()));
            out.println("backup in " + target + ": " + (result.checkpoint() == null ? "no checkpoint yet (a restore replays"
                    + " the whole journal)" : "checkpoint " + result.checkpoint().getFileName()) + ", " + result.segmentsCopied()
                    + " segments copied (" + result.segmentsAlreadyThere() + " already there), the live one up to byte "
                    + result.liveSegmentBytes() + "; restore: stop the relay, copy " + target + " to DATA_DIR, start it");
            return CommandLine.OK;
        } catch (IOException | JournalCorruptException e) {
            err.println("journal backup: " + e.getMessage());
            return CommandLine.FAILED;
        }
    }

    private static int dump(Path dir, RecordCodec codec, boolean redact, PrintStream out, PrintStream err) {
        try {
            JournalReader.read(dir, record -> out.println(describe(record, codec, redact)));
            return CommandLine.OK;
        } catch (JournalCorruptException | IOException e) {
            err.println("journal dump: " + e.getMessage());
            return CommandLine.FAILED;
        }
    }

    private static String describe(StoredRecord record, RecordCodec codec, boolean redact) {
        RecordType type = record.type();
        JsonObject line = new JsonObject()
                .put("segment", record.segment().getFileName().toString())
                .put("offset", record.offset())
                .put("type", type == null ? "unknown-" + record.typeCode() : type.name().toLowerCase(Locale.ROOT))
                .put("key", record.key());
        try {
            line.put("public", record.publicPart());
        } catch (JsonException e) {
            line.put("public", "[not JSON: " + e.getMessage() + "]");
        }
        line.put("phi_storage", codec.isErased(record) ? "erased" : record.phiMode().name().toLowerCase(Locale.ROOT));
        try {
            JsonObject phi = codec.openPhi(record);
            if (phi != null) {
                line.put("phi", redact ? Redaction.redactPhi(phi) : phi);
            }
        } catch (GeneralSecurityException | JsonException e) {
            line.put("phi", "[cannot open: " + e.getClass().getSimpleName() + "]");
        }
        return line.toString();
    }
}
