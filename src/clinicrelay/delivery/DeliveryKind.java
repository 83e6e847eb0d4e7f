package clinicrelay.delivery;

import clinicrelay.template.TemplateKind;
import java.util.Locale;

/** The messages the planner can plan, each with its channel and template, and the one step that is not a message. */
public enum DeliveryKind {
    CONFIRMATION_SMS(Channel.SMS, TemplateKind.CONFIRMATION_SMS),
    CONFIRMATION_EMAIL(Channel.EMAIL, TemplateKind.CONFIRMATION_EMAIL),
    REMINDER_SMS(Channel.SMS, TemplateKind.REMINDER_SMS),
    CANCELLATION_SMS(Channel.SMS, TemplateKind.CANCELLATION_SMS),
    RESCHEDULED_SMS(Channel.SMS, TemplateKind.RESCHEDULED_SMS),
    /** Fetch a thin Zocdoc event's details from the partner API (issue 4): no template, nothing sent to anyone. */
    FETCH_DETAILS(Channel.ZOCDOC, null);

    private final Channel channel;
    private final TemplateKind template;

    DeliveryKind(Channel channel, TemplateKind template) {
        this.channel = channel;
        this.template = template;
    }

    public Channel channel() {
        return channel;
    }

    public TemplateKind template() {
        return template;
    }

    /** The name used in delivery ids, records and logs. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryKind fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
