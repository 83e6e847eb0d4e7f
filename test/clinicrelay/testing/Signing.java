package clinicrelay.testing;

import clinicrelay.signature.HexSignature;
import clinicrelay.signature.ZocdocV1Signature;
import java.util.Map;

/** Builds the headers a genuine sender would put on a body. */
public final class Signing {
    private Signing() {
    }

    public static Map<String, String> zocdocV1(String secret, long timestamp, byte[] body) {
        return Map.of(ZocdocV1Signature.TIMESTAMP_HEADER, Long.toString(timestamp),
                ZocdocV1Signature.SIGNATURE_HEADER, ZocdocV1Signature.sign(secret, timestamp, body));
    }

    public static Map<String, String> hex(String secret, byte[] body) {
        return Map.of(HexSignature.PRIMARY_HEADER, HexSignature.sign(secret, body));
    }
}
