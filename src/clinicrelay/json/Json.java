package clinicrelay.json;

import java.nio.charset.StandardCharsets;

/**
 * Entry point of our JSON support: strict parsing with limits, compact writing.
 *
 * <p>The JDK has no JSON library and we take no dependencies, so this package is ours to
 * audit. Values are represented as String, {@link JsonNumber}, Boolean, {@link JsonNull},
 * {@link JsonObject} and {@link JsonArray}.
 */
public final class Json {
    /** Largest document accepted by {@link #parse(byte[])}. Webhook bodies are capped
     *  lower (256 KiB) by the receiver; API answers we fetch (pages of appointments,
     *  message lists) stay well below this. */
    public static final int DOCUMENT_BYTES_MAX = 4 * 1024 * 1024;
    /** Deepest nesting accepted, see {@link JsonParser#DEPTH_MAX}. */
    public static final int DEPTH_MAX = JsonParser.DEPTH_MAX;
    /** Most values in one document, see {@link JsonParser#VALUES_MAX}. */
    public static final int VALUES_MAX = JsonParser.VALUES_MAX;

    private Json() {
    }

    /** Parses one UTF-8 JSON document of at most {@link #DOCUMENT_BYTES_MAX} bytes. */
    public static Object parse(byte[] utf8) throws JsonException {
        return parse(utf8, 0, utf8.length);
    }

    public static Object parse(byte[] utf8, int offset, int length) throws JsonException {
        if (length > DOCUMENT_BYTES_MAX) {
            throw new JsonException("document larger than " + DOCUMENT_BYTES_MAX + " bytes", 0);
        }
        return new JsonParser(utf8, offset, length).parseDocument();
    }

    public static Object parse(String text) throws JsonException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a document that must be a JSON object. */
    public static JsonObject parseObject(byte[] utf8) throws JsonException {
        Object value = parse(utf8);
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new JsonException("document is not a JSON object", 0);
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder(128);
        JsonWriter.write(value, out);
        return out.toString();
    }

    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string literal for {@code s}, quotes included. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        JsonWriter.writeString(s, out);
        return out.toString();
    }

    /** Accepts the value types a tree may hold; Java null becomes JSON null. */
    static Object checkValue(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof JsonNumber
                || value instanceof JsonObject || value instanceof JsonArray
                || value instanceof JsonNull) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long) {
            return new JsonNumber(value.toString());
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
}
