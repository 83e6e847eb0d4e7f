package clinicrelay.twilio;

/**
 * The MessageSids of inbound texts acted on lately, so that a replayed signed request (the
 * same STOP or START again) changes nothing. Bounded: the oldest go first. A replay older
 * than the window, or after a restart, is acted on again; Twilio's signature carries no
 * time, so only the journal could do better, and an inbound request's body travels under
 * TLS: replaying one needs a copy of it.
 */
final class RecentSids {
    /** Inbound texts remembered: far more STOP/START than a clinic's patients send in days. */
    static final int SIDS_MAX = 10_000;

    private final RecentKeys sids = new RecentKeys(SIDS_MAX);

    boolean seen(String sid) {
        return sid != null && sids.contains(sid);
    }

    /** Remembers a SID once what it asked for is on disk. */
    void acted(String sid) {
        if (sid != null) {
            sids.add(sid);
        }
    }
}
