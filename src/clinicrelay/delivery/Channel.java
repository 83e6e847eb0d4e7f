package clinicrelay.delivery;

/** How a message reaches the patient, or (ZOCDOC) where a thin event's details are fetched from. */
public enum Channel {
    SMS,
    EMAIL,
    ZOCDOC
}
