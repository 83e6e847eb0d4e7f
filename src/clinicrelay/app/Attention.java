package clinicrelay.app;

import clinicrelay.channel.ProbeResult;
import clinicrelay.delivery.CredentialFailures;
import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.forward.ForwardStatus;
import clinicrelay.forward.Forwarder;
import clinicrelay.zocdoc.ZocdocSweep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What needs a person while the relay itself runs fine: credentials a provider refuses (at
 * the start-up probe, or on the last attempts of a channel), messages whose retries ran
 * out, a Zocdoc sweep failing for longer than two intervals, a forwarding target switched
 * off, an hour behind or with events given up. /health shows the codes, the
 * alerter sends the sentences. Neither holds patient data: counts, provider error codes
 * and setting names only. Bounded: one probe result per provider.
 */
final class Attention {
    /** How many sweep intervals may fail before the sweep counts as a problem. */
    static final int SWEEP_INTERVALS_FAILING_MAX = 2;
    /** How far behind a forwarding target may fall before someone is told (an outage longer than a retry or two). */
    static final Duration FORWARD_LAG_FOR_PROBLEM = Duration.ofHours(1);

    /** A problem: a stable code (what /health lists, what alerts are keyed by) and what to do, in words. */
    record Problem(String code, String text) {
    }

    private final DeliveryEngine engine;
    private final ZocdocSweep sweep;
    private final Forwarder forwarder;
    private final Clock clock;
    private final Map<String, ProbeResult> refusedProbes = new ConcurrentHashMap<>();

    /**
     * @param sweep     null without Zocdoc API credentials
     * @param forwarder null when nothing is forwarded
     */
    Attention(DeliveryEngine engine, ZocdocSweep sweep, Forwarder forwarder, Clock clock) {
        this.engine = engine;
        this.sweep = sweep;
        this.forwarder = forwarder;
        this.clock = clock;
    }

    /** A start-up probe's answer: a refusal stands until the next start (credentials are read only then). */
    void probed(ProbeResult result) {
        if (result.refused()) {
            refusedProbes.put(result.service(), result);
        } else {
            refusedProbes.remove(result.service());
        }
    }

    List<Problem> current() {
        List<Problem> problems = new ArrayList<>();
        refusedProbes.values().forEach(probe -> problems.add(new Problem(probe.service() + "_credentials_refused",
                probe.message())));
        engine.credentialFailures.failing().forEach((lane, reason) -> problems.add(new Problem(lane + "_sends_refused",
                "the last " + CredentialFailures.IN_A_ROW_FOR_PROBLEM + " " + lane + " attempts were refused on authentication ("
                        + reason + "): " + fixFor(lane) + ", restart, then retry the failed ones from the dashboard")));
        int dead = engine.counts().getOrDefault(DeliveryState.DEAD, 0);
        if (dead > 0) {
            problems.add(new Problem("deliveries_dead", dead + (dead == 1 ? " message has" : " messages have")
                    + " run out of retries: see Failed deliveries on the dashboard, fix the cause, then retry"));
        }
        Instant failingSince = sweep == null ? null : sweep.failingSince();
        if (failingSince != null && Duration.between(failingSince, clock.instant())
                .compareTo(sweep.interval().multipliedBy(SWEEP_INTERVALS_FAILING_MAX)) > 0) {
            problems.add(new Problem("zocdoc_sweep_failing", "the Zocdoc sweep has failed since "
                    + failingSince.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ": appointments whose webhook was lost are not being recovered"
                    + " (check ZOCDOC_CLIENT_ID, ZOCDOC_CLIENT_SECRET and the log's zocdoc lines)"));
        }
        if (forwarder != null) {
            forwarder.statuses().forEach(status -> forwarding(status, problems));
        }
        return problems;
    }

    /** A forwarding target's problems: ids and origins only (a receiver's path may be a token). */
    private static void forwarding(ForwardStatus status, List<Problem> problems) {
        String target = "forwarding target " + status.target().id() + " (" + status.target().origin() + ")";
        if (status.off()) {
            problems.add(new Problem("forwarding_off", target + " answered 410 Gone and is switched off: fix it, then"
                    + " switch it back on at /dashboard/forwarding"));
        } else if (status.lagSeconds() >= FORWARD_LAG_FOR_PROBLEM.getSeconds()) {
            problems.add(new Problem("forwarding_behind", target + " is " + status.lagEvents() + " events and "
                    + status.lagSeconds() / 60 + " minutes behind (last: " + status.lastProblem() + "): it retries on its own;"
                    + " once it is fixed, \"try now\" at /dashboard/forwarding"));
        }
        if (!status.dead().isEmpty()) {
            problems.add(new Problem("forwarding_given_up", target + " gave up on " + status.dead().size() + " events after"
                    + " a day of failures: fix it, then send them again at /dashboard/forwarding"));
        }
    }

    private static String fixFor(String lane) {
        return switch (lane) {
            case "sms" -> "check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (check-config --probe)";
            case "email" -> "check SENDGRID_API_KEY and its Mail Send permission (check-config --probe)";
            case "crm" -> "check SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET and the External Client App (check-config)";
            default -> "check ZOCDOC_CLIENT_ID and ZOCDOC_CLIENT_SECRET (check-config --probe)";
        };
    }
}
