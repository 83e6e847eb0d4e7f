package clinicrelay.cli;

import clinicrelay.log.Log;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * Dispatches a sub-command and returns its exit code ({@link #KEEP_RUNNING} for the
 * server, whose threads keep the process alive). Usage errors exit 2, failures 1.
 */
public final class CommandLine {
    public static final int KEEP_RUNNING = -1;
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "usage: java -jar clinic-relay.jar [command]",
            "",
            "  serve                 run the webhook receiver (default)",
            "  demo                  run on 127.0.0.1:3000 with a generated secret and a dry-run outbox (make run)",
            "  check-config [options]  run serve's checks on the configuration and show it (secrets as",
            "                        present/missing and length); asks Zocdoc for a token when configured",
            "      --probe           also ask Twilio and SendGrid whether the credentials work (sends nothing)",
            "      --env-file F      read settings from F too (the unit's EnvironmentFile)",
            "      --credentials-dir D   read secrets from files in D named like the variables (as the unit does)",
            "  send-test [options]   send one signed sample event and print the answer",
            "      --url U           default http://127.0.0.1:$PORT/webhook",
            "      --type T          appointment.created (default), appointment.updated, appointment.cancelled,",
            "                        appointment.checked_in, appointment.no_show",
            "      --thin            Zocdoc's thin shape (ids only) instead of the full one",
            "      --scheme S        zocdoc-v1 (default) or hex",
            "      --secret S        default ZOCDOC_WEBHOOK_SECRET, else $DATA_DIR/demo-secret",
            "      --event-id ID     reuse an id (to see duplicate handling)",
            "      --appointment-id ID   reuse an appointment (to reschedule or cancel what you created)",
            "      --start T         when the visit starts: +26h, +90m, +3d from now, or 2026-12-03T15:00[-05:00]",
            "                        (a local time is read in CLINIC_TIMEZONE, else UTC); default in two days",
            "      --via-zocdoc-sandbox  ask Zocdoc's sandbox to send a signed mock webhook to --url",
            "                        (needs ZOCDOC_CLIENT_ID, ZOCDOC_CLIENT_SECRET, ZOCDOC_ENV=sandbox)",
            "  journal verify        check every record's checksum (and the PHI key)",
            "  journal dump [--redact|--no-redact]   print records as JSON lines, PHI masked by default",
            "  journal backup DIR    copy a consistent set (checkpoint, journal, data keys) while serving",
            "  outbox [--redact|--no-redact]   the dry-run outbox, patient data masked by default",
            "  --version             print the version this jar was built from",
            "",
            "Configuration comes from environment variables: see README.md.");

    private CommandLine() {
    }

    public static int run(String[] args) {
        return run(args, System.getenv(), System.out, System.err, Log.toStdout(Clock.systemUTC()));
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Log log) {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "serve":
                return ServeCommand.serve(env, err, log);
            case "demo":
                return ServeCommand.demo(env, out, err, log);
            case "check-config":
                return CheckConfigCommand.run(rest, env, out, err);
            case "send-test":
                return SendTestCommand.run(rest, env, out, err);
            case "journal":
                return JournalCommand.run(rest, env, out, err);
            case "outbox":
                return OutboxCommand.run(rest, env, out, err);
            case "version":
            case "--version":
                out.println("clinic-relay " + clinicrelay.app.Version.current());
                return OK;
            case "help":
            case "--help":
            case "-h":
                out.println(USAGE_TEXT);
                return OK;
            default:
                err.println("clinic-relay: unknown command '" + command + "'");
                err.println(USAGE_TEXT);
                return USAGE;
        }
    }
}
