package clinicrelay.delivery;

import clinicrelay.planning.Channel;
import clinicrelay.planning.Lane;
import clinicrelay.planning.Planner;
import clinicrelay.template.Templates;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * Everything the engine needs besides its journal and replayed state.
 *
 * @param fetchDetails the step that fetches a thin event's details, or null when no API is configured
 * @param crmSync      the step that files an appointment in the CRM, or null when none is configured
 */
public record EngineSettings(Planner.Settings planning, Templates templates, String clinicName,
                             Map<Channel, MessageChannel> channels, DurableStep fetchDetails, DurableStep crmSync, Clock clock,
                             Random random) {
    /** Without a CRM. */
    public EngineSettings(Planner.Settings planning, Templates templates, String clinicName,
                          Map<Channel, MessageChannel> channels, DurableStep fetchDetails, Clock clock, Random random) {
        this(planning, templates, clinicName, channels, fetchDetails, null, clock, random);
    }

    /** The steps by the lane they run on (only those configured). */
    Map<Lane, DurableStep> steps() {
        Map<Lane, DurableStep> steps = new EnumMap<>(Lane.class);
        if (fetchDetails != null) {
            steps.put(Lane.ZOCDOC, fetchDetails);
        }
        if (crmSync != null) {
            steps.put(Lane.CRM, crmSync);
        }
        return steps;
    }
}
