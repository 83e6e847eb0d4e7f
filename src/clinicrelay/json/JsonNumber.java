package clinicrelay.json;

import java.math.BigDecimal;

/**
 * A JSON number kept as its exact source text.
 *
 * <p>Keeping the text means huge exponents and long mantissas parse without overflow or
 * precision loss, and a value written back out is byte-for-byte what arrived. Conversion
 * happens only when a caller asks for it.
 */
public record JsonNumber(String text) {

    /** The value as a long, or null when it is not an integer that fits. */
    public Long toLongOrNull() {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notAPlainLong) {
            return null;
        }
    }

    /** The value as a BigDecimal, or null when its exponent is out of BigDecimal's range. */
    public BigDecimal toBigDecimalOrNull() {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
