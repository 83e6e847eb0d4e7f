package clinicrelay.channel;

/**
 * What asking a provider whether our credentials work found: {@code ok}, or what is wrong
 * and what to do, in words for the operator. Never carries a credential or an answer body.
 *
 * @param service "twilio", "sendgrid" or "zocdoc"
 * @param refused the provider refused the credentials (401/403, a suspended account, a
 *                missing permission), as opposed to not being reachable
 */
public record ProbeResult(String service, boolean ok, boolean refused, String message) {
    public static ProbeResult ok(String service, String message) {
        return new ProbeResult(service, true, false, message);
    }

    public static ProbeResult refused(String service, String message) {
        return new ProbeResult(service, false, true, message);
    }

    public static ProbeResult unreachable(String service, String message) {
        return new ProbeResult(service, false, false, message);
    }

    /** The answer when the provider could not be reached at all. */
    public static ProbeResult networkError(String service, Exception error) {
        return unreachable(service, service + " could not be reached (" + error.getClass().getSimpleName()
                + "): check this machine's DNS, outbound firewall and proxy");
    }
}
