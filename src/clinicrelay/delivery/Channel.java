package clinicrelay.delivery;

/** How a message reaches the patient. */
public enum Channel {
    SMS,
    EMAIL
}
