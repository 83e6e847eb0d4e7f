package clinicrelay.planning;

import java.util.Locale;

/**
 * Where the engine's work for a delivery goes: each lane has its own worker threads and
 * its own slots, so a slow provider or a slow API holds up only its own lane.
 */
public enum Lane {
    /** Texts, through Twilio (or the dry-run outbox). */
    SMS,
    /** E-mails, through SendGrid (or the dry-run outbox). */
    EMAIL,
    /** Calls to Zocdoc's partner API (fetching a thin event's details). */
    ZOCDOC,
    /** Calls to the CRM (Salesforce): filing appointments as Tasks on Contacts. */
    CRM;

    /** The name used in attempt records, logs and metrics. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Lane fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
