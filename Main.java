/** Entry point of clinic-relay: hands the arguments to the command line and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = clinicrelay.cli.CommandLine.run(args);
        if (code != clinicrelay.cli.CommandLine.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
