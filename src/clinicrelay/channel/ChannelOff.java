package clinicrelay.channel;

import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.MessageChannel;
import clinicrelay.delivery.OutgoingMessage;
import java.time.Instant;
import java.util.Set;

/**
 * A channel without credentials outside a dry run: it is off. Nothing is planned for it;
 * a message planned before it was turned off fails here for good ("not configured") and
 * shows as failed, instead of counting as sent to a file.
 */
public final class ChannelOff implements MessageChannel {
    private final String what;

    /** @param what the channel's name in a reason: "sms", "email" */
    public ChannelOff(String what) {
        this.what = what;
    }

    @Override
    public String name() {
        return "off";
    }

    @Override
    public AttemptResult send(OutgoingMessage message) {
        return new AttemptResult.Failed(what + " is off: not configured", false);
    }

    @Override
    public String findSent(OutgoingMessage message, Instant attemptStarted, Set<String> claimed) {
        return null;
    }
}
