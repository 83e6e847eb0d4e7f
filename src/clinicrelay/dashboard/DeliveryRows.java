package clinicrelay.dashboard;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.DeliveryView;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How one message shows in the dashboard's tables: its kind and state in words, its time, a retry button. */
final class DeliveryRows {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE MMM d, h:mm a", Locale.US);
    /** Where a retry form posts. */
    static final String RETRY_PATH = "/dashboard/deliveries/retry";

    private DeliveryRows() {
    }

    static String kind(DeliveryView row) {
        return switch (row.kind()) {
            case CONFIRMATION_SMS -> "Confirmation text";
            case CONFIRMATION_EMAIL -> "Confirmation e-mail";
            case REMINDER_SMS -> "Reminder text";
            case CANCELLATION_SMS -> "Cancellation text";
            case CANCELLATION_EMAIL -> "Cancellation e-mail";
            case RESCHEDULED_SMS -> "Moved-appointment text";
            case FETCH_DETAILS -> "Details from Zocdoc";
            case CRM_SYNC -> "CRM record (Salesforce)";
        };
    }

    /** The state as a front desk reads it: did it reach the patient, and if not, why. */
    static String state(DeliveryView row) {
        String why = row.lastError() == null ? "" : " (" + row.lastError() + ")";
        return switch (row.state()) {
            case PENDING -> row.attempts() == 0 ? "Planned" : "Waiting to try again" + why;
            case ATTEMPTING -> "Being sent";
            case SENT -> "Sent; the carrier has not confirmed delivery yet";
            case DELIVERED -> "Delivered to the patient's phone";
            case UNDELIVERED -> "Not delivered by the carrier" + why;
            case FAILED -> "Refused" + why;
            case DEAD -> "Gave up after " + row.attempts() + " tries" + why;
            case CANCELLED -> "Not needed any more (the appointment changed)";
            case SKIPPED -> "Not sent" + why;
            case EXPIRED -> "Not sent in time" + why;
        };
    }

    static String when(DeliveryView row, ZoneId zone) {
        return WHEN.format(row.dueAt().atZone(zone));
    }

    /** A plain form button (no script): retries the one delivery, then comes back to {@code back}. */
    static String retryButton(DeliveryView row, String back) {
        if (row.state() != DeliveryState.FAILED && row.state() != DeliveryState.DEAD) {
            return "";
        }
        return "<form method=\"post\" action=\"" + RETRY_PATH + "\"><input type=\"hidden\" name=\"id\" value=\""
                + Html.escape(row.id()) + "\"><input type=\"hidden\" name=\"back\" value=\"" + Html.escape(back)
                + "\"><button type=\"submit\">Retry</button></form>";
    }
}
