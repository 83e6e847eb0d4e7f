package clinicrelay.planning;

import clinicrelay.template.TemplateKind;
import java.util.Locale;

/**
 * What the engine can plan: the messages, each with its channel and template, and one
 * step that is not a message (fetching a thin Zocdoc event's details), which the engine
 * runs just as durably (a delivery.DurableStep).
 */
public enum DeliveryKind {
    CONFIRMATION_SMS(Channel.SMS, TemplateKind.CONFIRMATION_SMS),
    CONFIRMATION_EMAIL(Channel.EMAIL, TemplateKind.CONFIRMATION_EMAIL),
    REMINDER_SMS(Channel.SMS, TemplateKind.REMINDER_SMS),
    CANCELLATION_SMS(Channel.SMS, TemplateKind.CANCELLATION_SMS),
    RESCHEDULED_SMS(Channel.SMS, TemplateKind.RESCHEDULED_SMS),
    /** Fetch a thin Zocdoc event's details from the partner API: nothing is sent to anyone. */
    FETCH_DETAILS(Lane.ZOCDOC),
    // New kinds go last: tables and checkpoints hold a kind by its position here.
    CANCELLATION_EMAIL(Channel.EMAIL, TemplateKind.CANCELLATION_EMAIL),
    /** File the appointment in the CRM (Salesforce): a Contact and a Task, kept up to date. No patient message. */
    CRM_SYNC(Lane.CRM);

    private final Lane lane;
    private final Channel channel;
    private final TemplateKind template;

    DeliveryKind(Channel channel, TemplateKind template) {
        this.lane = channel.lane();
        this.channel = channel;
        this.template = template;
    }

    DeliveryKind(Lane stepLane) {
        this.lane = stepLane;
        this.channel = null;
        this.template = null;
    }

    /** True for a message to the patient; false for a step. */
    public boolean isMessage() {
        return channel != null;
    }

    /** The notices telling a patient the appointment is cancelled: sent while it stays cancelled, kept by a repeat cancellation. */
    public boolean isCancellationNotice() {
        return this == CANCELLATION_SMS || this == CANCELLATION_EMAIL;
    }

    public Lane lane() {
        return lane;
    }

    /** @throws IllegalStateException for a step, which reaches no patient */
    public Channel channel() {
        if (channel == null) {
            throw new IllegalStateException(wireName() + " is not a message");
        }
        return channel;
    }

    /** @throws IllegalStateException for a step, which has no text */
    public TemplateKind template() {
        if (template == null) {
            throw new IllegalStateException(wireName() + " is not a message");
        }
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
