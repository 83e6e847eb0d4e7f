package clinicrelay.delivery;

import clinicrelay.planning.Appointment;
import clinicrelay.planning.Appointments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Questions the dashboard asks the engine, answered on its thread (where the state is at
 * rest between two steps): one appointment's messages, and the booked appointments of the
 * days ahead. Only ids, kinds, states, times and masked recipients leave it.
 */
public final class EngineQueries {
    /** Appointments listed for the days ahead at most: weeks of a large practice's diary. */
    public static final int UPCOMING_LISTED_MAX = 20_000;

    private final EngineInbox inbox;
    private final DeliveryBook book;
    private final Appointments appointments;
    private final JournalReads reads;

    EngineQueries(EngineInbox inbox, DeliveryBook book, Appointments appointments, JournalReads reads) {
        this.inbox = inbox;
        this.book = book;
        this.appointments = appointments;
        this.reads = reads;
    }

    /** The appointment's messages and steps, by due time ("did she get my text?"); empty when none is held. */
    public CompletableFuture<List<DeliveryView>> forAppointment(String appointmentId) {
        CompletableFuture<List<DeliveryView>> answer = new CompletableFuture<>();
        inbox.submit(() -> {
            List<Delivery> found = new ArrayList<>();
            for (Delivery delivery : book.all()) {
                if (delivery.appointmentId().equals(appointmentId)) {
                    found.add(delivery);
                }
            }
            found.sort(Comparator.comparing(Delivery::dueAt));
            answer.complete(found.stream().map(delivery -> OperatorView.view(delivery, appointments, reads)).toList());
        });
        return answer;
    }

    /** The appointment as the engine knows it, or null. */
    public CompletableFuture<Appointment> appointment(String appointmentId) {
        CompletableFuture<Appointment> answer = new CompletableFuture<>();
        inbox.submit(() -> answer.complete(appointments.get(appointmentId)));
        return answer;
    }

    /** Booked appointments starting in [{@code from}, {@code until}), at most {@link #UPCOMING_LISTED_MAX}. */
    public CompletableFuture<List<Appointment>> bookedBetween(Instant from, Instant until) {
        CompletableFuture<List<Appointment>> answer = new CompletableFuture<>();
        inbox.submit(() -> answer.complete(appointments.bookedBetween(from, until, UPCOMING_LISTED_MAX)));
        return answer;
    }
}
