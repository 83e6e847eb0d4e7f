package clinicrelay.app;

/** The version shown by /health and the start-up line: the jar manifest's, else "dev". */
public final class Version {
    private Version() {
    }

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
