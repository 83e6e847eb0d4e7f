package clinicrelay.log;

import java.nio.file.Path;

/**
 * One key=value pair of a log line. The only way to build one is through the factories
 * below, each for a field we allow in logs: identifiers, types, outcomes, timings,
 * counts and file positions. There is deliberately no factory for free text from a
 * request, so patient data has no door into the log.
 *
 * <p>Values are cleaned on the way in: only letters, digits and {@code ._:/|+=-,} survive
 * (anything else becomes {@code _}) and they are cut at {@link #VALUE_CHARS_MAX}. That
 * keeps a hostile id from forging extra fields or lines, and keeps e-mail addresses
 * ({@code @}) and sentences (spaces) out even if a sender put one in an id. Only
 * {@link #reason}, which carries our own phrases, keeps spaces, and is then quoted.
 */
public final class Field {
    /** Longest value kept; longer ones are cut and end with "~". */
    static final int VALUE_CHARS_MAX = 128;

    private final String name;
    private final String value;

    private Field(String name, String value) {
        this.name = name;
        this.value = value;
    }

    public static Field eventType(String type) {
        return new Field("event_type", clean(type));
    }

    public static Field eventId(String id) {
        return new Field("event_id", clean(id));
    }

    /** A forwarding target's id (a hash of its address, never the address: a URL may hold a token). */
    public static Field target(String id) {
        return new Field("target", clean(id));
    }

    /** A delivery's kind (confirmation_sms, reminder_sms, ...). */
    public static Field kind(String kind) {
        return new Field("kind", clean(kind));
    }

    public static Field appointmentId(String id) {
        return new Field("appointment_id", clean(id));
    }

    public static Field source(String source) {
        return new Field("source", clean(source));
    }

    /** What happened, from a fixed vocabulary (accepted, duplicate, rejected ...). */
    public static Field outcome(String outcome) {
        return new Field("outcome", clean(outcome));
    }

    /** Why, from a fixed vocabulary or one of our own messages that never quote input. */
    public static Field reason(String reason) {
        return new Field("reason", clean(reason, true));
    }

    public static Field route(String path) {
        return new Field("route", clean(path));
    }

    public static Field status(int httpStatus) {
        return new Field("status", Integer.toString(httpStatus));
    }

    /** Milliseconds with two decimals, formatted by hand: String.format costs more than a request. */
    public static Field latencyMillis(long nanos) {
        long hundredths = Math.max(0, (nanos + 5_000) / 10_000);
        long fraction = hundredths % 100;
        return new Field("latency_ms", (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction);
    }

    public static Field count(String name, long value) {
        return new Field(clean(name), Long.toString(value));
    }

    public static Field file(Path file) {
        return new Field("file", clean(file.toString()));
    }

    public static Field offset(long offset) {
        return new Field("offset", Long.toString(offset));
    }

    /** A configuration setting's name (never its value). */
    public static Field setting(String name) {
        return new Field("setting", clean(name));
    }

    /** The build's version (from the jar's manifest). */
    public static Field version(String version) {
        return new Field("version", clean(version));
    }

    public static Field address(String hostAndPort) {
        return new Field("address", clean(hostAndPort));
    }

    String name() {
        return name;
    }

    String value() {
        return value;
    }

    static String clean(String raw) {
        return clean(raw, false);
    }

    private static String clean(String raw, boolean spaceAllowed) {
        if (raw == null || raw.isEmpty()) {
            return "-";
        }
        if (raw.length() <= VALUE_CHARS_MAX && allSafe(raw, false)) {
            return raw; // the common case: an id or a code, kept as it is
        }
        int length = Math.min(raw.length(), VALUE_CHARS_MAX);
        StringBuilder out = new StringBuilder(length + 3);
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            out.append(isSafe(c, spaceAllowed) ? c : '_');
        }
        if (raw.length() > VALUE_CHARS_MAX) {
            out.append('~');
        }
        return out.indexOf(" ") >= 0 ? "\"" + out + "\"" : out.toString();
    }

    private static boolean allSafe(String text, boolean spaceAllowed) {
        for (int i = 0; i < text.length(); i++) {
            if (!isSafe(text.charAt(i), spaceAllowed)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSafe(char c, boolean spaceAllowed) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '/' || c == '|' || c == '+' || c == '=' || c == '-'
                || c == ',' || (spaceAllowed && c == ' ');
    }
}
