package clinicrelay.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings that hold U+FFFD: bytes this process could not decode, because its locale is not
 * UTF-8 (a bare systemd unit runs in the POSIX locale). A clinic name would reach patients
 * garbled, so check-config and serve say so.
 */
final class UndecodableText {
    private UndecodableText() {
    }

    /** The names, sorted, of the variables whose value holds a replacement character. */
    static List<String> in(Map<String, String> env) {
        List<String> names = new ArrayList<>();
        env.forEach((name, value) -> {
            if (value != null && value.indexOf('\uFFFD') >= 0) {
                names.add(name);
            }
        });
        names.sort(null);
        return names;
    }
}
