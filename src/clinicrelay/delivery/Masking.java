package clinicrelay.delivery;

/** What the operator may see of a recipient: enough to tell two apart, not enough to contact one. */
public final class Masking {
    private static final String DOTS = "•••••••";

    private Masking() {
    }

    /** {@code +16175550123} → {@code +1•••••••0123}; {@code ana@example.com} → {@code a•••@example.com}; null stays null. */
    public static String recipient(String recipient) {
        if (recipient == null) {
            return null;
        }
        int at = recipient.indexOf('@');
        if (at > 0) {
            return recipient.charAt(0) + "•••" + recipient.substring(at);
        }
        if (recipient.length() <= 6) {
            return DOTS;
        }
        return recipient.substring(0, 2) + DOTS + recipient.substring(recipient.length() - 4);
    }
}
