package clinicrelay.delivery;

import java.time.Instant;

/** The earlier of two due times, either of which may be absent. */
final class Instants {
    private Instants() {
    }

    static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
