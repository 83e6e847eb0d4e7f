package clinicrelay.app;

import clinicrelay.config.Config;
import clinicrelay.planning.Channel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which channels are on: in a dry run both (to the outbox); otherwise each one whose
 * provider has credentials. A channel that is off gets nothing planned, and start-up and
 * check-config say so: a set-up must not look fine while texting no one.
 */
public final class ChannelsOn {
    private ChannelsOn() {
    }

    public static Set<Channel> of(Config config) {
        Set<Channel> on = EnumSet.noneOf(Channel.class);
        if (config.dryRun || config.twilioConfigured()) {
            on.add(Channel.SMS);
        }
        if (config.dryRun || config.sendgridConfigured()) {
            on.add(Channel.EMAIL);
        }
        return on;
    }

    /** One sentence per channel that is off, saying what turns it on. */
    public static List<String> offWarnings(Config config) {
        List<String> warnings = new ArrayList<>();
        Set<Channel> on = of(config);
        if (!on.contains(Channel.SMS)) {
            warnings.add("texts are off: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set, so no SMS is planned"
                    + " (set them, or DRY_RUN=true to see texts in the outbox)");
        }
        if (!on.contains(Channel.EMAIL)) {
            warnings.add("e-mail is off: SENDGRID_API_KEY and SENDGRID_FROM_EMAIL are not set, so no e-mail is planned"
                    + " (set them, or DRY_RUN=true to see e-mails in the outbox)");
        }
        return warnings;
    }
}
