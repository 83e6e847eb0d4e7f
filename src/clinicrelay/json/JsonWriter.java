package clinicrelay.json;

import java.util.Map;

/**
 * Writes values as compact RFC 8259 JSON.
 *
 * <p>Strings are escaped so the output is always valid JSON and valid UTF-8: quote,
 * backslash and control characters are escaped, as are U+2028/U+2029 (so the output is
 * also safe inside a script or a log viewer) and any unpaired surrogate, which Java
 * strings can hold but UTF-8 cannot encode.
 */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {
    }

    static void write(Object value, StringBuilder out) {
        if (value == null || value == JsonNull.INSTANCE) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean || value instanceof JsonNumber
                || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof JsonObject o) {
            writeObject(o.members(), out);
        } else if (value instanceof JsonArray a) {
            writeArray(a, out);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeObject(Map<String, Object> members, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> member : members.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(member.getKey(), out);
            out.append(':');
            write(member.getValue(), out);
        }
        out.append('}');
    }

    private static void writeArray(JsonArray array, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < array.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            write(array.get(i), out);
        }
        out.append(']');
    }

    static void writeString(String s, StringBuilder out) {
        out.append('"');
        int length = s.length();
        int safeFrom = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                continue; // the common case: copied in one run below
            }
            if (c >= 0x80 && c != '\u2028' && c != '\u2029' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            out.append(s, safeFrom, i);
            appendEscape(c, out);
            safeFrom = i + 1;
        }
        out.append(s, safeFrom, length).append('"');
    }

    private static void appendEscape(char c, StringBuilder out) {
        switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default: appendUnicodeEscape(c, out);
        }
    }

    private static void appendUnicodeEscape(char c, StringBuilder out) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }
}
