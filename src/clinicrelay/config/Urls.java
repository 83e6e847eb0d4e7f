package clinicrelay.config;

import java.net.URI;
import java.net.URISyntaxException;

/** The URL settings' rules: what makes an address usable, and where credentials may go. */
final class Urls {
    private Urls() {
    }

    /**
     * A provider's address: credentials travel to it, so https, with plain http allowed only
     * on this machine (where tests run their fakes).
     */
    static URI provider(String name, String value) {
        URI uri = http(name, value);
        boolean loopback = uri.getHost().equals("localhost") || uri.getHost().equals("127.0.0.1")
                || uri.getHost().equals("[::1]") || uri.getHost().equals("::1");
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new IllegalArgumentException(name + "=" + value + " must be https (plain http only to this machine):"
                    + " credentials are sent to it");
        }
        return uri;
    }

    static URI http(String name, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (URISyntaxException notAUri) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + value + " must be an http(s) URL");
    }

    /** A provider URL that is itself a credential (a chat webhook's): checked the same, never quoted in the problem. */
    static URI secretProvider(String value) {
        try {
            return provider("url", value);
        } catch (IllegalArgumentException unusable) {
            throw new IllegalArgumentException("ALERT_WEBHOOK_URL must be an https URL (plain http only to this machine)");
        }
    }
}
