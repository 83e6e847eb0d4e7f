package clinicrelay.event;

import clinicrelay.json.JsonObject;
import java.util.Map;

/**
 * Masks patient data for places where a person needs to recognise a record but not the
 * patient: {@code journal dump --redact} and the operator view. A phone keeps its country
 * prefix and last four digits ({@code +1•••••••0123}), which is what a clinic's staff use to
 * match a complaint to a delivery; everything else identifying is replaced entirely.
 */
public final class Redaction {
    static final String MASK = "•••";
    private static final int PHONE_DIGITS_SHOWN = 4;

    private Redaction() {
    }

    public static String maskPhone(String e164) {
        if (e164 == null) {
            return null;
        }
        if (e164.length() <= 2 + PHONE_DIGITS_SHOWN) {
            return MASK;
        }
        String shown = e164.substring(e164.length() - PHONE_DIGITS_SHOWN);
        return e164.substring(0, 2) + "•".repeat(e164.length() - 2 - PHONE_DIGITS_SHOWN) + shown;
    }

    /**
     * A copy of a record's patient-data part with every value masked: the phone as above,
     * booleans (consent flags) kept, strings and the raw body replaced by a mask or a size.
     */
    public static JsonObject redactPhi(JsonObject phi) {
        JsonObject redacted = new JsonObject();
        for (Map.Entry<String, Object> member : phi.members().entrySet()) {
            redacted.put(member.getKey(), redactValue(member.getKey(), member.getValue()));
        }
        return redacted;
    }

    private static Object redactValue(String name, Object value) {
        if (value instanceof JsonObject object) {
            return redactPhi(object);
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof String text) {
            if (name.equals("phone")) {
                return maskPhone(text);
            }
            if (name.equals("body")) {
                return "[" + text.length() + " characters redacted]";
            }
            return MASK;
        }
        return MASK;
    }
}
