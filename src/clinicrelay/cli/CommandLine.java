package clinicrelay.cli;

/** Placeholder: dispatch comes with the commands. */
public final class CommandLine {
    public static final int KEEP_RUNNING = -1;

    private CommandLine() {
    }

    public static int run(String[] args) {
        return 0;
    }
}
