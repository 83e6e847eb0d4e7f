package clinicrelay.event;

/**
 * What happened to an appointment, after normalisation of each platform's vocabulary.
 * {@link #UNKNOWN} events are stored and acknowledged but act on nothing.
 */
public enum EventType {
    CREATED("appointment.created"),
    UPDATED("appointment.updated"),
    CANCELLED("appointment.cancelled"),
    CHECKED_IN("appointment.checked_in"),
    NO_SHOW("appointment.no_show"),
    UNKNOWN("unknown");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the journal, logs and the normalised JSON. */
    public String wireName() {
        return wireName;
    }

    public static EventType fromWireName(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
