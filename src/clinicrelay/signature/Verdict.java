package clinicrelay.signature;

/**
 * The outcome of a signature check. The reason is precise and meant for our log only;
 * the sender always sees the same {@code 401 {"error":"invalid signature"}}, so a prober
 * learns nothing about which part was wrong.
 *
 * @param scheme the scheme that matched, or that failed last
 * @param reason a fixed phrase (never header or body content), null when valid
 */
public record Verdict(boolean valid, String scheme, String reason) {
    static Verdict valid(String scheme) {
        return new Verdict(true, scheme, null);
    }

    static Verdict invalid(String scheme, String reason) {
        return new Verdict(false, scheme, reason);
    }
}
