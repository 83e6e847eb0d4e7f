package clinicrelay.event;

/**
 * Normalises phone numbers to E.164 for Twilio. Zocdoc sends 10 US digits without +1;
 * tutorials send anything from "(555) 123-4567" to "+15551234567".
 */
public final class PhoneNumbers {
    /** E.164 allows at most 15 digits after the plus. */
    private static final int E164_DIGITS_MAX = 15;
    /** Shortest international number we accept after the plus (country code + subscriber). */
    private static final int E164_DIGITS_MIN = 8;

    private PhoneNumbers() {
    }

    /** The number in E.164, or null when it cannot be one. */
    public static String toE164(String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder(16);
        boolean plus = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && i == firstNonSpace(raw)) {
                plus = true;
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
                return null;
            }
            if (digits.length() > E164_DIGITS_MAX) {
                return null;
            }
        }
        if (plus) {
            boolean plausible = digits.length() >= E164_DIGITS_MIN && digits.charAt(0) != '0';
            return plausible ? "+" + digits : null;
        }
        if (digits.length() == 10 && isNanpSubscriber(digits, 0)) {
            return "+1" + digits;
        }
        if (digits.length() == 11 && digits.charAt(0) == '1' && isNanpSubscriber(digits, 1)) {
            return "+" + digits;
        }
        return null;
    }

    /** North American numbers: the area code starts with 2-9 (0 and 1 are dialling prefixes). */
    private static boolean isNanpSubscriber(CharSequence digits, int from) {
        return digits.charAt(from) >= '2';
    }

    private static int firstNonSpace(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
