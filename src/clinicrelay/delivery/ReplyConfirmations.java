package clinicrelay.delivery;

import clinicrelay.journal.DurableBatch;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A patient's "C" (or YES) in answer to a reminder: finds the booked appointment still
 * ahead whose reminder went to that number (the nearest, when several did) and journals
 * that it was confirmed. Which number a reminder went to is read back from the journal,
 * where it is patient data: nothing new is kept in memory. Engine thread only.
 */
public final class ReplyConfirmations {
    /** Reminders whose recipient is read back for one reply, at most: a few days of a large practice's reminders. */
    static final int CANDIDATES_MAX = 2_000;

    /** What a reply did. */
    public enum Result {
        /** The appointment is confirmed (journaled). */
        CONFIRMED,
        /** No booked appointment ahead had a reminder sent to this number. */
        NO_APPOINTMENT
    }

    private final DeliveryBook book;
    private final Appointments appointments;
    private final JournalReads reads;
    private final Supplier<DurableBatch> batches;
    private final EngineObserver observer;
    private final Clock clock;
    private final Log log;

    ReplyConfirmations(DeliveryBook book, Appointments appointments, JournalReads reads, Supplier<DurableBatch> batches,
                       EngineObserver observer, Clock clock, Log log) {
        this.book = book;
        this.appointments = appointments;
        this.reads = reads;
        this.batches = batches;
        this.observer = observer;
        this.clock = clock;
        this.log = log;
    }

    void confirm(String phone, CompletableFuture<Result> done) {
        Instant now = clock.instant();
        List<Delivery> reminders = book.all().stream()
                .filter(d -> d.kind() == DeliveryKind.REMINDER_SMS && d.notAfter().isAfter(now)
                        && (d.state() == DeliveryState.SENT || d.state() == DeliveryState.DELIVERED))
                .sorted(Comparator.comparing(Delivery::notAfter))
                .limit(CANDIDATES_MAX)
                .toList();
        for (Delivery reminder : reminders) {
            Appointment appointment = appointments.get(reminder.appointmentId());
            if (appointment == null || !appointment.isBooked() || !sentTo(reminder, phone)) {
                continue;
            }
            DurableBatch batch = batches.get();
            Instant visitAt = reminder.notAfter();
            batch.add(List.of(DeliveryRecords.appointmentConfirmed(appointment.id(), visitAt, now)), () -> {
                observer.appointmentConfirmed(appointment.id(), visitAt, now);
                log.info("appointment confirmed by reply", Field.appointmentId(appointment.id()));
                done.complete(Result.CONFIRMED);
            }, () -> done.completeExceptionally(new IOException("the journal did not take the confirmation")));
            batch.commit();
            return;
        }
        done.complete(Result.NO_APPOINTMENT);
    }

    private boolean sentTo(Delivery reminder, String phone) {
        try {
            OutgoingMessage sent = reads.sentMessage(reminder, reminder.attempts());
            return sent != null && phone.equals(sent.to());
        } catch (JournalReads.Unavailable unreadable) {
            return false; // erased or unreadable: not this patient's, as far as anyone can tell
        }
    }
}
