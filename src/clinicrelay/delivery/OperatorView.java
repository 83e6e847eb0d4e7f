package clinicrelay.delivery;

import clinicrelay.planning.Appointments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The deliveries as the operator sees them ({@link DeliveryView}: masked recipient, no
 * text), read on the engine thread. A scan of the book: behind the dashboard's login, and
 * at most {@code limit} rows leave it; each row's recipient and last error are read back
 * from the journal.
 */
final class OperatorView {
    private OperatorView() {
    }

    /** Deliveries in {@code state}, oldest due first, at most {@code limit}. */
    static List<DeliveryView> inState(DeliveryBook book, Appointments appointments, JournalReads reads, DeliveryState state,
                                      int limit) {
        List<Delivery> found = new ArrayList<>();
        for (Delivery delivery : book.all()) {
            if (delivery.state() == state) {
                found.add(delivery);
            }
        }
        found.sort(Comparator.comparing(Delivery::dueAt));
        List<DeliveryView> rows = new ArrayList<>(Math.min(found.size(), limit));
        for (Delivery delivery : found.subList(0, Math.min(found.size(), limit))) {
            rows.add(view(delivery, appointments, reads));
        }
        return rows;
    }

    /** Every delivery held. */
    static List<DeliveryView> all(DeliveryBook book, Appointments appointments, JournalReads reads) {
        List<DeliveryView> rows = new ArrayList<>();
        for (Delivery delivery : book.all()) {
            rows.add(view(delivery, appointments, reads));
        }
        return rows;
    }

    static DeliveryView view(Delivery delivery, Appointments appointments, JournalReads reads) {
        try {
            AppointmentDetails details = delivery.kind().isMessage()
                    ? reads.details(appointments.detailPositions(delivery.appointmentId())) : AppointmentDetails.NONE;
            return DeliveryView.of(delivery, SendGate.recipient(delivery, details), reads.lastError(delivery),
                    reads.providerMessageId(delivery));
        } catch (JournalReads.Unavailable unreadable) {
            return DeliveryView.of(delivery, null, "(journal unreadable just now)", null);
        }
    }
}
