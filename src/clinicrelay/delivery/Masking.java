package clinicrelay.delivery;

/** What the operator may see of a recipient: enough to tell two apart, not enough to contact one. */
final class Masking {
    private static final String DOTS = "•••••••";

    private Masking() {
    }

    /**
     * {@code +16175550123} → {@code +1•••••••0123}; {@code ana@smithfamily.com} →
     * {@code a•••@•••.com} (a family's domain names the family); null stays null. A number too
     * short to hide most of it shows nothing.
     */
    public static String recipient(String recipient) {
        if (recipient == null) {
            return null;
        }
        int at = recipient.indexOf('@');
        if (at > 0) {
            int dot = recipient.lastIndexOf('.');
            return recipient.charAt(0) + "•••@•••" + (dot > at ? recipient.substring(dot) : "");
        }
        if (recipient.length() < 10) {
            return DOTS;
        }
        return recipient.substring(0, 2) + DOTS + recipient.substring(recipient.length() - 4);
    }
}
