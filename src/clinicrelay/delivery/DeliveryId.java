package clinicrelay.delivery;

import clinicrelay.config.ReminderOffsets;
import clinicrelay.planning.DeliveryKind;
import java.time.Duration;

/**
 * A delivery's id, {@code <appointment>|<kind>|<start epoch second>|<label>}, taken apart
 * so that memory holds numbers instead of the string: the label is a reminder's offset
 * ({@code 24h}, kept as seconds) or the tag of the event that caused a notice ({@code e}
 * and up to eight hex digits, kept as an int).
 *
 * @param label the label as it stands in the id
 */
record DeliveryId(String appointmentId, DeliveryKind kind, long startSecond, String label) {
    /** How a label is kept: a tag's int, an offset's seconds, or (never for our own ids) the text itself. */
    enum LabelForm { TAG, OFFSET, TEXT }

    /** The parts of an id, or null when it is not one of ours (the operator typed something else, say). */
    static DeliveryId parse(String id) {
        int labelBar = id.lastIndexOf('|');
        int startBar = labelBar <= 0 ? -1 : id.lastIndexOf('|', labelBar - 1);
        int kindBar = startBar <= 0 ? -1 : id.lastIndexOf('|', startBar - 1);
        if (kindBar <= 0) {
            return null;
        }
        try {
            DeliveryKind kind = DeliveryKind.fromWireName(id.substring(kindBar + 1, startBar));
            long start = Long.parseLong(id.substring(startBar + 1, labelBar));
            return new DeliveryId(id.substring(0, kindBar), kind, start, id.substring(labelBar + 1));
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    String text() {
        return appointmentId + "|" + kind.wireName() + "|" + startSecond + "|" + label;
    }

    LabelForm labelForm() {
        if (label.length() >= 2 && label.length() <= 9 && label.charAt(0) == 'e' && isHex(label.substring(1))) {
            return LabelForm.TAG;
        }
        try {
            Duration offset = ReminderOffsets.parse(label).get(0);
            return ReminderOffsets.label(offset).equals(label) ? LabelForm.OFFSET : LabelForm.TEXT;
        } catch (IllegalArgumentException | IndexOutOfBoundsException notAnOffset) {
            return LabelForm.TEXT;
        }
    }

    /** The label as a number, for {@link LabelForm#TAG} and {@link LabelForm#OFFSET}. */
    int labelValue() {
        return labelForm() == LabelForm.TAG ? Integer.parseUnsignedInt(label.substring(1), 16)
                : (int) ReminderOffsets.parse(label).get(0).getSeconds();
    }

    static String label(LabelForm form, int value) {
        return form == LabelForm.TAG ? "e" + Integer.toHexString(value) : ReminderOffsets.label(Duration.ofSeconds(value));
    }

    private static boolean isHex(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                return false;
            }
        }
        return !digits.isEmpty() && (digits.length() == 1 || digits.charAt(0) != '0');
    }
}
