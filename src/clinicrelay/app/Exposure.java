package clinicrelay.app;

import clinicrelay.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the configuration exposes in clear beyond this machine, said loudly at start and by
 * check-config: plain HTTP on a non-loopback address, the dashboard's password over it, a
 * plain-http PUBLIC_BASE_URL. Not refused: a TLS proxy on the same private network is a
 * legitimate set-up, and only the operator knows the network.
 */
public final class Exposure {
    private Exposure() {
    }

    /** One sentence per exposure, each saying what to do; empty when none. */
    public static List<String> warnings(Config config) {
        List<String> warnings = new ArrayList<>();
        boolean plain = config.tlsKeystore == null;
        if (plain && !isLoopback(config.bindAddress)) {
            warnings.add("listening on " + config.bindAddress + " in plain HTTP: anything between here and the TLS proxy"
                    + " sees webhooks in clear; bind to 127.0.0.1 behind a proxy on this machine, or set TLS_KEYSTORE");
            if (config.dashboardPassword != null) {
                warnings.add("the dashboard's password would cross the network in clear (plain HTTP on "
                        + config.bindAddress + "); reach it through a TLS proxy only");
            }
        }
        if (config.publicBaseUrl != null && config.publicBaseUrl.regionMatches(true, 0, "http://", 0, 7)) {
            warnings.add("PUBLIC_BASE_URL is plain http: Twilio's callbacks (STOP, delivery statuses) would travel in clear;"
                    + " use the https address of your proxy");
        }
        return warnings;
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException unresolvable) {
            return false;
        }
    }
}
