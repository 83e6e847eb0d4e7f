package clinicrelay.channel;

import java.time.Duration;

/** Lets tests of other packages parse a Retry-After header the way the channels do. */
public final class HttpAnswersAccess {
    private HttpAnswersAccess() {
    }

    public static Duration retryAfter(String header) {
        return HttpAnswers.retryAfter(header);
    }
}
