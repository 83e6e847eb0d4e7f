package clinicrelay.delivery;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import java.time.Instant;

/**
 * Told of what the engine folds, in journal order, both while the journal replays at
 * start-up and live afterwards: analytics and metrics are built from it, so they are the
 * same after a restart. Called on the engine's (or the replay's) thread: must be quick and
 * must not call back into the engine. Carries no patient data beyond what it is given.
 */
public interface EngineObserver {
    EngineObserver NONE = new EngineObserver() {
    };

    /** An event changed an appointment ({@code change.type()} is what it amounted to). */
    default void appointmentChanged(Appointments.Change change, AppointmentEvent event, Instant receivedAt) {
    }

    /**
     * A delivery reached a state: sent, failed, dead, skipped, expired, cancelled, or a
     * provider status (delivered, undelivered, failed).
     *
     * @param visitAt the appointment's start the delivery was for
     */
    default void deliveryState(String appointmentId, DeliveryKind kind, DeliveryState state, Instant visitAt) {
    }

    /** A due text was refused on purpose ({@code reason}: {@code country}). */
    default void smsRefused(String reason) {
    }

    /** A phone number opted out (STOP, or the provider said so) at {@code at}. */
    default void optedOut(Instant at) {
    }

    /** The patient confirmed the appointment (visiting at {@code visitAt}) by a reply at {@code at}; may come twice. */
    default void appointmentConfirmed(String appointmentId, Instant visitAt, Instant at) {
    }
}
