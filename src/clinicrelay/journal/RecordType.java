package clinicrelay.journal;

/**
 * The kinds of journal records, by their one-byte code on disk.
 *
 * <p>Codes are never reused or renumbered: a journal outlives the version that wrote it.
 * A reader skips codes it does not know, so a downgrade does not stop start-up.
 */
public enum RecordType {
    /** A verified, normalised inbound event (webhook or API sweep). Key: the event id. */
    EVENT_RECEIVED(1),
    /** A message decided on by the planner. Key: the delivery id. No patient data. */
    DELIVERY_PLANNED(2),
    /** A planned message that will not be sent (appointment cancelled or moved). Key: the delivery id. */
    DELIVERY_CANCELLED(3),
    /** A send about to start; its patient-data part holds recipient and text. Key: the delivery id. */
    DELIVERY_ATTEMPT(4),
    /** How an attempt ended: sent, retry later, failed for good, dead, skipped, expired. Key: the delivery id. */
    DELIVERY_RESULT(5),
    /** A provider's later word on a sent message (delivered, undelivered, failed). Key: the delivery id. */
    DELIVERY_STATUS(6),
    /** A phone number opted out (STOP, or Twilio error 21610); the number is patient data. Key: a random id. */
    PHONE_OPTED_OUT(7),
    /** A phone number opted back in (START). Key: a random id. */
    PHONE_OPTED_IN(8),
    /** All planning for an event is on disk. Key: the event's key. */
    EVENT_PLANNED(9),
    /** A Zocdoc sweep finished: every change up to {@code through} has been seen. Key: {@code zocdoc-sweep}. */
    ZOCDOC_SWEPT(10),
    /** The operator asked to try a dead or failed delivery again, with a fresh budget. Key: the delivery id. */
    DELIVERY_RETRY(11),
    /** A patient confirmed an appointment by replying to its reminder (C / YES). Key: the appointment id. */
    APPOINTMENT_CONFIRMED(12),
    /** A forwarding target has everything before {@code next}. Key: the target's id. No patient data. */
    FORWARD_CURSOR(13),
    /** An event a forwarding target gave up on after its retry window. Key: the target's id. No patient data. */
    FORWARD_DEAD(14),
    /** A dead event the operator retried reached its target. Key: the target's id. */
    FORWARD_REDELIVERED(15),
    /** A forwarding target was switched off (it answered 410 Gone) or back on by the operator. Key: the target's id. */
    FORWARD_SWITCHED(16);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code, or null for a code this version does not know. */
    public static RecordType fromCode(int code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
