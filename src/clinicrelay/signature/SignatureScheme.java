package clinicrelay.signature;

import java.time.Instant;

/** One way a sender signs a webhook; the receiver tries each enabled scheme whose headers are present. */
public interface SignatureScheme {
    String name();

    /** True when the request carries this scheme's headers. */
    boolean applies(HeaderLookup headers);

    /** Checks the signature over exactly {@code body}, as received. */
    Verdict verify(HeaderLookup headers, byte[] body, Instant now);
}
