package clinicrelay.delivery;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per lane, how many attempts in a row a provider refused on authentication (HTTP 401 or
 * 403): a wrong or revoked credential fails every message the same way, and that must
 * reach /health and the operator's alerts rather than only the log. A lane's run ends at
 * its next accepted attempt. Written on the engine thread, read from any; holds one entry
 * per lane (three).
 */
public final class CredentialFailures {
    /** Attempts in a row refused on authentication before the lane counts as failing. */
    public static final int IN_A_ROW_FOR_PROBLEM = 3;
    private record Run(int inARow, String lastReason) {
    }

    private final Map<String, Run> byLane = new ConcurrentHashMap<>();

    void observe(String lane, AttemptResult result) {
        if (result instanceof AttemptResult.Sent) {
            byLane.remove(lane);
        } else if (result instanceof AttemptResult.Failed failed && failed.credentialsRefused()) {
            byLane.merge(lane, new Run(1, failed.reason()), (old, next) -> new Run(old.inARow() + 1, next.lastReason()));
        }
    }

    /** Lanes whose last {@link #IN_A_ROW_FOR_PROBLEM} or more attempts were refused → the last reason. */
    public Map<String, String> failing() {
        Map<String, String> failing = new TreeMap<>();
        byLane.forEach((lane, run) -> {
            if (run.inARow() >= IN_A_ROW_FOR_PROBLEM) {
                failing.put(lane, run.lastReason());
            }
        });
        return failing;
    }
}
