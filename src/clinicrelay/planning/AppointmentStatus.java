package clinicrelay.planning;

/** Where an appointment stands, as far as the events tell. */
public enum AppointmentStatus {
    BOOKED,
    CANCELLED,
    CHECKED_IN,
    NO_SHOW
}
