package clinicrelay.delivery;

import clinicrelay.planning.Appointments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The deliveries as the operator sees them ({@link DeliveryView}: masked recipient, no
 * text), read on the engine thread. A scan of the book: behind the dashboard's login, and
 * at most {@code limit} rows leave it.
 */
final class OperatorView {
    private OperatorView() {
    }

    /** Deliveries in {@code state}, oldest due first, at most {@code limit}. */
    static List<DeliveryView> inState(DeliveryBook book, Appointments appointments, DeliveryState state, int limit) {
        List<Delivery> found = new ArrayList<>();
        for (Delivery delivery : book.all()) {
            if (delivery.state == state) {
                found.add(delivery);
            }
        }
        found.sort(Comparator.comparing((Delivery delivery) -> delivery.dueAt));
        List<DeliveryView> rows = new ArrayList<>(Math.min(found.size(), limit));
        for (Delivery delivery : found.subList(0, Math.min(found.size(), limit))) {
            rows.add(view(delivery, appointments));
        }
        return rows;
    }

    /** Every delivery held. */
    static List<DeliveryView> all(DeliveryBook book, Appointments appointments) {
        List<DeliveryView> rows = new ArrayList<>(book.size());
        for (Delivery delivery : book.all()) {
            rows.add(view(delivery, appointments));
        }
        return rows;
    }

    private static DeliveryView view(Delivery delivery, Appointments appointments) {
        return DeliveryView.of(delivery, SendGate.recipient(delivery, appointments.get(delivery.appointmentId)));
    }
}
