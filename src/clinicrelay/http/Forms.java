package clinicrelay.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code application/x-www-form-urlencoded} text (bodies and query strings). */
public final class Forms {
    /** Most fields read from one form; Twilio sends about twenty. */
    static final int FIELDS_MAX = 200;

    private Forms() {
    }

    /**
     * Each field's last value.
     *
     * @throws IllegalArgumentException on malformed percent-encoding or too many fields (the message quotes nothing)
     */
    public static Map<String, String> parse(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        parseAll(encoded).forEach((name, values) -> fields.put(name, values.get(values.size() - 1)));
        return fields;
    }

    /**
     * Every value of every field, in the order sent (a key may repeat: Twilio's
     * {@code MediaUrl}, or a forged form; signatures cover them all).
     *
     * @throws IllegalArgumentException on malformed percent-encoding or too many fields (the message quotes nothing)
     */
    public static Map<String, List<String>> parseAll(String encoded) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        int count = 0;
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (count++ == FIELDS_MAX) {
                throw new IllegalArgumentException("more than " + FIELDS_MAX + " form fields");
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException badEscape) {
                throw new IllegalArgumentException("malformed form encoding");
            }
        }
        return fields;
    }
}
