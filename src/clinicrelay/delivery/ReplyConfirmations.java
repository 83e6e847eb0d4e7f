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
 * A patient's "C" (or YES) in answer to a reminder: finds the latest reminder sent to that
 * number for a booked appointment still at the reminded time, and journals that it was
 * confirmed. Which number a reminder went to is read back from the journal,
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

    /**
     * Confirms the appointment of the latest reminder sent to {@code phone} for a visit still
     * ahead at the time it was reminded of: the text the patient is answering. A family
     * sharing one phone answers the last reminder it got; a reminder for a slot the
     * appointment has since left confirms nothing. A journal that cannot be read just now
     * fails the future (the caller answers so that Twilio sends the reply again).
     */
    void confirm(String phone, CompletableFuture<Result> done) {
        Instant now = clock.instant();
        List<Delivery> reminders = book.all().stream()
                .filter(d -> d.kind() == DeliveryKind.REMINDER_SMS && d.notAfter().isAfter(now)
                        && (d.state() == DeliveryState.SENT || d.state() == DeliveryState.DELIVERED))
                .filter(d -> {
                    Appointment appointment = appointments.get(d.appointmentId());
                    return appointment != null && appointment.isBooked() && appointment.start() != null
                            && appointment.start().toInstant().equals(d.notAfter());
                })
                .sorted(Comparator.comparingLong(Delivery::sendPosition).reversed()) // the latest sent first
                .limit(CANDIDATES_MAX)
                .toList();
        for (Delivery reminder : reminders) {
            boolean match;
            try {
                match = sentTo(reminder, phone);
            } catch (JournalReads.Unavailable unreadable) {
                done.completeExceptionally(new IOException("the journal could not be read just now"));
                return;
            }
            if (!match) {
                continue;
            }
            String appointmentId = reminder.appointmentId();
            Instant visitAt = reminder.notAfter();
            DurableBatch batch = batches.get();
            batch.add(List.of(DeliveryRecords.appointmentConfirmed(appointmentId, visitAt, now)), () -> {
                observer.appointmentConfirmed(appointmentId, visitAt, now);
                log.info("appointment confirmed by reply", Field.appointmentId(appointmentId));
                done.complete(Result.CONFIRMED);
            }, () -> done.completeExceptionally(new IOException("the journal did not take the confirmation")));
            batch.commit();
            return;
        }
        done.complete(Result.NO_APPOINTMENT);
    }

    /** Whether the reminder went to {@code phone}; one whose patient data was erased went to no one we can tell. */
    private boolean sentTo(Delivery reminder, String phone) throws JournalReads.Unavailable {
        OutgoingMessage sent = reads.sentMessage(reminder, reminder.attempts());
        return sent != null && phone.equals(sent.to());
    }
}
