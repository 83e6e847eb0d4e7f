package clinicrelay.forward;

import java.util.List;

/**
 * One target as the operator view and {@code /metrics} show it: ids, counts and our own
 * phrases only, never an event's content.
 *
 * @param lagEvents   stored events it has not had yet
 * @param lagSeconds  how long the oldest of them has waited (0 when none waits)
 * @param lastProblem why the last send failed (null after a success)
 * @param deadDropped dead events no longer listed (the list keeps {@link ForwardLedger#DEAD_LISTED_MAX})
 */
public record ForwardStatus(ForwardTarget target, boolean off, long lagEvents, long lagSeconds, long forwarded,
                            long givenUp, String lastProblem, List<ForwardLedger.Dead> dead, long deadDropped) {
}
