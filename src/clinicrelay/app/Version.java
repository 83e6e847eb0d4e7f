package clinicrelay.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The version of this build, as build.sh wrote it beside this class (version.txt) and into
 * the jar's manifest (Implementation-Version): {@code git describe} of the commit, else its
 * date and short hash, else the build date. Read from the resource, not the manifest's
 * package entry, because a package split between the jar and a test folder loses the
 * latter. "dev" only when running from classes build.sh did not make.
 */
public final class Version {
    static final String RESOURCE = "version.txt";
    /** A version line longer than this is not one. */
    private static final int VERSION_CHARS_MAX = 128;
    private static final String CURRENT = read();

    private Version() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "dev";
            }
            String version = new String(in.readNBytes(VERSION_CHARS_MAX), StandardCharsets.UTF_8).strip();
            return version.isEmpty() ? "dev" : version;
        } catch (IOException unreadable) {
            return "dev";
        }
    }
}
