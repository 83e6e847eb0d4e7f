package clinicrelay.json;

import java.nio.charset.StandardCharsets;

/**
 * Writes JSON straight into text, without building a tree first: for records written on
 * every request, where a map per object would cost more than the JSON itself. Members
 * with a null value are left out, which keeps records small. Use it in the order JSON
 * is written: {@code new JsonBuilder().beginObject().member("a", "x").endObject().toBytes()}.
 */
public final class JsonBuilder {
    /** Deepest nesting the builder tracks; records nest two or three levels. */
    private static final int DEPTH_MAX = 16;

    private final StringBuilder out = new StringBuilder(256);
    /** Per open container: whether it already has a member (so the next needs a comma). */
    private final boolean[] hasMember = new boolean[DEPTH_MAX];
    private int depth;

    public JsonBuilder beginObject() {
        separate();
        out.append('{');
        open();
        return this;
    }

    public JsonBuilder beginObject(String name) {
        name(name);
        out.append('{');
        open();
        return this;
    }

    public JsonBuilder endObject() {
        depth--;
        out.append('}');
        return this;
    }

    public JsonBuilder beginArray(String name) {
        name(name);
        out.append('[');
        open();
        return this;
    }

    public JsonBuilder endArray() {
        depth--;
        out.append(']');
        return this;
    }

    /** A string member; skipped when the value is null. */
    public JsonBuilder member(String name, String value) {
        if (value != null) {
            name(name);
            JsonWriter.writeString(value, out);
        }
        return this;
    }

    /** A boolean member; skipped when the value is null. */
    public JsonBuilder member(String name, Boolean value) {
        if (value != null) {
            name(name);
            out.append(value.booleanValue());
        }
        return this;
    }

    public JsonBuilder member(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /**
     * A number member that may be unknown: written as {@code null} then (a rate with nothing
     * to divide by), so that every report has the same keys. Finite values only.
     */
    public JsonBuilder memberOrNull(String name, Double value) {
        name(name);
        if (value == null || value.isNaN() || value.isInfinite()) {
            out.append("null");
        } else {
            out.append(value.doubleValue());
        }
        return this;
    }

    /** An array element that is itself an array. */
    public JsonBuilder beginArray() {
        separate();
        out.append('[');
        open();
        return this;
    }

    /** A number element of the current array. */
    public JsonBuilder element(long value) {
        separate();
        out.append(value);
        return this;
    }

    /** A string element of the current array. */
    public JsonBuilder element(String value) {
        separate();
        JsonWriter.writeString(value, out);
        return this;
    }

    public String toText() {
        if (depth != 0) {
            throw new IllegalStateException("unclosed JSON container");
        }
        return out.toString();
    }

    public byte[] toBytes() {
        return toText().getBytes(StandardCharsets.UTF_8);
    }

    private void name(String name) {
        separate();
        JsonWriter.writeString(name, out);
        out.append(':');
    }

    private void separate() {
        if (depth > 0) {
            if (hasMember[depth - 1]) {
                out.append(',');
            }
            hasMember[depth - 1] = true;
        }
    }

    private void open() {
        if (depth == DEPTH_MAX) {
            throw new IllegalStateException("JSON nested deeper than " + DEPTH_MAX);
        }
        hasMember[depth++] = false;
    }
}
