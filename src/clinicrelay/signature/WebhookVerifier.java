package clinicrelay.signature;

import java.time.Clock;
import java.util.List;

/**
 * Checks a request against every enabled scheme whose headers it carries; one valid
 * signature is enough. Verification happens on the raw bytes before any parsing, so a
 * forged body never reaches the JSON parser.
 */
public final class WebhookVerifier {
    private final List<SignatureScheme> schemes;
    private final Clock clock;

    public WebhookVerifier(List<SignatureScheme> schemes, Clock clock) {
        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("at least one signature scheme must be enabled");
        }
        this.schemes = List.copyOf(schemes);
        this.clock = clock;
    }

    public Verdict verify(HeaderLookup headers, byte[] body) {
        Verdict last = null;
        for (SignatureScheme scheme : schemes) {
            if (scheme.applies(headers)) {
                Verdict verdict = scheme.verify(headers, body, clock.instant());
                if (verdict.valid()) {
                    return verdict;
                }
                last = verdict;
            }
        }
        return last != null ? last : Verdict.invalid("none", "no signature header");
    }
}
