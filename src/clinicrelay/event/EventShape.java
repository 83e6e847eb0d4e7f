package clinicrelay.event;

import java.util.Locale;

/** How much an inbound event carries. */
public enum EventShape {
    /** Ids only (Zocdoc's documented webhook): the details are fetched from the partner API. */
    THIN,
    /** The appointment and its patient. */
    FULL;

    /** The name used in the journal. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a name that is not a shape */
    public static EventShape fromWireName(String name) {
        for (EventShape shape : values()) {
            if (shape.wireName().equals(name)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown event shape");
    }
}
