package clinicrelay.planning;


/** How a message reaches the patient. */
public enum Channel {
    SMS(Lane.SMS),
    EMAIL(Lane.EMAIL);

    private final Lane lane;

    Channel(Lane lane) {
        this.lane = lane;
    }

    /** The lane this channel's sends run in. */
    public Lane lane() {
        return lane;
    }
}
