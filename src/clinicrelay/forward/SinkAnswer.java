package clinicrelay.forward;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a target said to one send: for each event of the batch, null when it was accepted
 * or why not; how long the target asked us to wait ({@code Retry-After}); and whether it
 * said it is gone for good (410).
 */
record SinkAnswer(List<String> failures, Duration retryAfter, boolean gone) {
    static SinkAnswer accepted(int events) {
        return new SinkAnswer(Collections.nCopies(events, null), null, false);
    }

    static SinkAnswer failed(int events, String reason, Duration retryAfter) {
        return new SinkAnswer(Collections.nCopies(events, reason), retryAfter, false);
    }

    /** No answer came: a timeout or a broken connection (the reason names the kind, never a message that could quote data). */
    static SinkAnswer unanswered(int events, java.io.IOException failure) {
        return failed(events, failure instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                : "network: " + failure.getClass().getSimpleName(), null);
    }

    static SinkAnswer gone(int events, String reason) {
        return new SinkAnswer(Collections.nCopies(events, reason), null, true);
    }

    /** Per event: null accepted, else the reason. */
    static SinkAnswer perEvent(List<String> failures, Duration retryAfter) {
        return new SinkAnswer(Collections.unmodifiableList(new ArrayList<>(failures)), retryAfter, false);
    }

    /** Whole-request answers that blame the request itself: its size (413) or a record in it (400, 422). */
    static final java.util.Set<String> REQUEST_REFUSED = java.util.Set.of("http 400", "http 413", "http 422");

    /** The target refused the whole request for what is in it: a smaller batch may go (or isolate the record at fault). */
    boolean requestRefused() {
        String first = failures.isEmpty() ? null : failures.get(0);
        return first != null && REQUEST_REFUSED.contains(first)
                && failures.stream().allMatch(first::equals);
    }

    boolean allAccepted() {
        return failures.stream().allMatch(f -> f == null);
    }

    /** The first reason given, for the log and the operator view. */
    String firstReason() {
        return failures.stream().filter(f -> f != null).findFirst().orElse(null);
    }
}
