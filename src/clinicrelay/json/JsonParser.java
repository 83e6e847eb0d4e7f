package clinicrelay.json;

import java.nio.charset.StandardCharsets;

/**
 * Strict RFC 8259 parser over UTF-8 bytes.
 *
 * <p>Strict means: one value with optional surrounding whitespace (space, tab, CR, LF),
 * no byte order mark, no comments, no trailing commas, no leading zeros, no lone
 * surrogates (escaped or encoded), and only well-formed shortest-form UTF-8. Numbers keep
 * their text (see {@link JsonNumber}). Nesting is bounded by {@link #DEPTH_MAX} and the
 * input by a byte limit, so hostile input fails with a JsonException and never with a
 * StackOverflowError or an OutOfMemoryError. One instance parses one document.
 */
final class JsonParser {
    /** Deepest nesting accepted. Real webhook bodies nest 3 or 4 levels; 64 leaves room
     *  for any honest producer while keeping recursion far from the thread stack limit. */
    static final int DEPTH_MAX = 64;
    /** Longest number literal accepted, in characters; longer ones are not honest data. */
    static final int NUMBER_CHARS_MAX = 512;
    /** Most values (of any kind, nested ones included) in one document. A parsed value
     *  costs ~50-70 bytes, so this caps a document's tree at about 1.4 MB however it is
     *  built; a webhook has about 30 values and a page of 100 appointments a few thousand. */
    static final int VALUES_MAX = 20_000;

    private final byte[] in;
    private final int end;
    private int pos;
    private int depth;
    private int values;

    JsonParser(byte[] in, int offset, int length) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
    }

    Object parseDocument() throws JsonException {
        skipWhitespace();
        Object value = parseValue();
        skipWhitespace();
        if (pos != end) {
            throw error("unexpected data after the JSON value");
        }
        return value;
    }

    private Object parseValue() throws JsonException {
        if (pos >= end) {
            throw error("unexpected end of input");
        }
        if (++values > VALUES_MAX) {
            throw error("more than " + VALUES_MAX + " values");
        }
        byte b = in[pos];
        switch (b) {
            case '{':
                return parseObject();
            case '[':
                return parseArray();
            case '"':
                return parseString();
            case 't':
                expectLiteral("true");
                return Boolean.TRUE;
            case 'f':
                expectLiteral("false");
                return Boolean.FALSE;
            case 'n':
                expectLiteral("null");
                return JsonNull.INSTANCE;
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    return parseNumber();
                }
                throw error("unexpected character");
        }
    }

    private JsonObject parseObject() throws JsonException {
        enterContainer();
        pos++; // '{'
        JsonObject object = new JsonObject();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = parseString();
            skipWhitespace();
            if (peek() != ':') {
                throw error("expected ':'");
            }
            pos++;
            skipWhitespace();
            object.put(name, parseValue());
            skipWhitespace();
            int next = peek();
            pos++;
            if (next == '}') {
                depth--;
                return object;
            }
            if (next != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private JsonArray parseArray() throws JsonException {
        enterContainer();
        pos++; // '['
        JsonArray array = new JsonArray();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return array;
        }
        while (true) {
            skipWhitespace();
            array.add(parseValue());
            skipWhitespace();
            int next = peek();
            pos++;
            if (next == ']') {
                depth--;
                return array;
            }
            if (next != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private void enterContainer() throws JsonException {
        if (++depth > DEPTH_MAX) {
            throw error("nesting deeper than " + DEPTH_MAX);
        }
    }

    private String parseString() throws JsonException {
        pos++; // opening quote
        int start = pos;
        // Fast path: no escapes. Bytes are validated as UTF-8 while scanning.
        while (pos < end) {
            int b = in[pos] & 0xFF;
            if (b == '"') {
                String s = new String(in, start, pos - start, StandardCharsets.UTF_8);
                pos++;
                return s;
            }
            if (b == '\\') {
                return parseEscapedString(start);
            }
            if (b < 0x20) {
                throw error("control character in string");
            }
            if (b < 0x80) {
                pos++;
            } else {
                pos += utf8SequenceLength(pos);
            }
        }
        throw error("unterminated string");
    }

    private String parseEscapedString(int start) throws JsonException {
        StringBuilder out = new StringBuilder(pos - start + 16);
        out.append(new String(in, start, pos - start, StandardCharsets.UTF_8));
        while (pos < end) {
            int b = in[pos] & 0xFF;
            if (b == '"') {
                pos++;
                return out.toString();
            }
            if (b == '\\') {
                appendEscape(out);
            } else if (b < 0x20) {
                throw error("control character in string");
            } else if (b < 0x80) {
                out.append((char) b);
                pos++;
            } else {
                int length = utf8SequenceLength(pos);
                out.append(new String(in, pos, length, StandardCharsets.UTF_8));
                pos += length;
            }
        }
        throw error("unterminated string");
    }

    private void appendEscape(StringBuilder out) throws JsonException {
        pos++; // backslash
        if (pos >= end) {
            throw error("unterminated escape");
        }
        byte e = in[pos++];
        switch (e) {
            case '"': out.append('"'); break;
            case '\\': out.append('\\'); break;
            case '/': out.append('/'); break;
            case 'b': out.append('\b'); break;
            case 'f': out.append('\f'); break;
            case 'n': out.append('\n'); break;
            case 'r': out.append('\r'); break;
            case 't': out.append('\t'); break;
            case 'u': appendUnicodeEscape(out); break;
            default: throw error("invalid escape");
        }
    }

    /** Reads XXXX after "\\u"; a high surrogate must be followed by an escaped low one. */
    private void appendUnicodeEscape(StringBuilder out) throws JsonException {
        char c = readHex4();
        if (Character.isLowSurrogate(c)) {
            throw error("lone low surrogate");
        }
        if (Character.isHighSurrogate(c)) {
            if (pos + 1 >= end || in[pos] != '\\' || in[pos + 1] != 'u') {
                throw error("lone high surrogate");
            }
            pos += 2;
            char low = readHex4();
            if (!Character.isLowSurrogate(low)) {
                throw error("lone high surrogate");
            }
            out.append(c).append(low);
            return;
        }
        out.append(c);
    }

    private char readHex4() throws JsonException {
        if (pos + 4 > end) {
            throw error("truncated unicode escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(in[pos++], 16);
            if (digit < 0) {
                throw error("invalid unicode escape");
            }
            value = (value << 4) | digit;
        }
        return (char) value;
    }

    /**
     * Length of the well-formed UTF-8 sequence at {@code at} (RFC 3629, table 3-7 of the
     * Unicode standard): no overlong forms, no encoded surrogates, nothing above U+10FFFF.
     */
    private int utf8SequenceLength(int at) throws JsonException {
        int b0 = in[at] & 0xFF;
        int length;
        int min2 = 0x80;
        int max2 = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            length = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            length = 3;
            if (b0 == 0xE0) {
                min2 = 0xA0;
            } else if (b0 == 0xED) {
                max2 = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            length = 4;
            if (b0 == 0xF0) {
                min2 = 0x90;
            } else if (b0 == 0xF4) {
                max2 = 0x8F;
            }
        } else {
            throw error("invalid UTF-8");
        }
        if (at + length > end) {
            throw error("truncated UTF-8");
        }
        int b1 = in[at + 1] & 0xFF;
        if (b1 < min2 || b1 > max2) {
            throw error("invalid UTF-8");
        }
        for (int i = 2; i < length; i++) {
            int b = in[at + i] & 0xFF;
            if (b < 0x80 || b > 0xBF) {
                throw error("invalid UTF-8");
            }
        }
        return length;
    }

    private JsonNumber parseNumber() throws JsonException {
        int start = pos;
        if (in[pos] == '-') {
            pos++;
        }
        if (pos >= end) {
            throw error("truncated number");
        }
        if (in[pos] == '0') {
            pos++;
        } else if (in[pos] >= '1' && in[pos] <= '9') {
            skipDigits();
        } else {
            throw error("invalid number");
        }
        if (pos < end && in[pos] == '.') {
            pos++;
            requireDigit();
            skipDigits();
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            requireDigit();
            skipDigits();
        }
        if (pos - start > NUMBER_CHARS_MAX) {
            throw error("number longer than " + NUMBER_CHARS_MAX + " characters");
        }
        return new JsonNumber(new String(in, start, pos - start, StandardCharsets.US_ASCII));
    }

    private void requireDigit() throws JsonException {
        if (pos >= end || in[pos] < '0' || in[pos] > '9') {
            throw error("invalid number");
        }
    }

    private void skipDigits() {
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
    }

    private void expectLiteral(String literal) throws JsonException {
        int length = literal.length();
        if (pos + length > end) {
            throw error("invalid literal");
        }
        for (int i = 0; i < length; i++) {
            if (in[pos + i] != literal.charAt(i)) {
                throw error("invalid literal");
            }
        }
        pos += length;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    /** The next byte, or -1 at the end; reading past the end then fails in the caller. */
    private int peek() {
        return pos < end ? in[pos] & 0xFF : -1;
    }

    private JsonException error(String reason) {
        return new JsonException(reason, pos);
    }
}
