package clinicrelay.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * TRUSTED_PROXIES: the addresses (CIDR ranges) whose {@code X-Forwarded-For} is believed.
 * Default none: a header anyone can write never decides who a client is. From a trusted
 * peer, every {@code X-Forwarded-For} line is merged in order and the right-most hop that is
 * not itself a trusted proxy is the client (what the nearest proxy saw), so a client's own
 * forged line in front changes nothing.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());
    /** Longest hop taken as an address (an IPv6 address with a zone fits). */
    static final int HOP_CHARS_MAX = 64;

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * {@code 127.0.0.1/32,10.0.0.0/8,::1/128}; an address without a prefix is itself alone.
     *
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static TrustedProxies parse(String value) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : value.split(",")) {
            String text = entry.strip();
            if (text.isEmpty()) {
                continue;
            }
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            byte[] network = literal(address);
            int bits = network == null ? -1 : network.length * 8;
            if (network != null && slash >= 0) {
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException notANumber) {
                    bits = -1;
                }
            }
            if (network == null || bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("TRUSTED_PROXIES entry '" + text + "' is not an address or a CIDR range");
            }
            ranges.add(new Range(network, bits));
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    public boolean trusts(InetAddress address) {
        byte[] bytes = address.getAddress();
        return ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    /** Who the client is: the peer, or from a trusted peer the right-most untrusted forwarded hop. */
    public String clientOf(InetAddress peer, List<String> forwardedLines) {
        if (!trusts(peer) || forwardedLines == null) {
            return peer.getHostAddress();
        }
        List<String> hops = new ArrayList<>();
        for (String line : forwardedLines) {
            for (String hop : line.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            byte[] bytes = literal(hop);
            if (bytes == null || hop.length() > HOP_CHARS_MAX) {
                return hop.isEmpty() || hop.length() > HOP_CHARS_MAX ? peer.getHostAddress() : hop; // not an address: stop here
            }
            try {
                if (!trusts(InetAddress.getByAddress(bytes))) {
                    return hop;
                }
            } catch (UnknownHostException impossible) {
                return hop;
            }
        }
        return peer.getHostAddress();
    }

    /** The bytes of an IPv4 or IPv6 literal, never a name lookup; null when it is not one. */
    private static byte[] literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = bare.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(bare).getAddress();
        } catch (UnknownHostException | SecurityException notOne) {
            return null;
        }
    }
}
