package clinicrelay.json;

/**
 * A document that is not strict RFC 8259 JSON, or that breaks one of our limits.
 *
 * <p>The message names the reason and the byte offset only, never the offending text:
 * webhook bodies carry patient data and this message may reach a log line.
 */
public final class JsonException extends Exception {
    private final long offset;

    public JsonException(String reason, long offset) {
        super(reason + " at byte " + offset);
        this.offset = offset;
    }

    /** Byte offset in the input where parsing stopped. */
    public long offset() {
        return offset;
    }
}
