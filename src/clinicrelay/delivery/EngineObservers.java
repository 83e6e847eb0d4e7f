package clinicrelay.delivery;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import java.time.Instant;
import java.util.List;

/** Several observers told of the same things, in order. */
public final class EngineObservers implements EngineObserver {
    private final List<EngineObserver> observers;

    public EngineObservers(EngineObserver... observers) {
        this.observers = List.of(observers);
    }

    @Override
    public void appointmentChanged(Appointments.Change change, AppointmentEvent event, Instant receivedAt) {
        for (EngineObserver observer : observers) {
            observer.appointmentChanged(change, event, receivedAt);
        }
    }

    @Override
    public void deliveryState(String appointmentId, DeliveryKind kind, DeliveryState state, Instant visitAt) {
        for (EngineObserver observer : observers) {
            observer.deliveryState(appointmentId, kind, state, visitAt);
        }
    }

    @Override
    public void smsRefused(String reason) {
        for (EngineObserver observer : observers) {
            observer.smsRefused(reason);
        }
    }

    @Override
    public void appointmentConfirmed(String appointmentId, Instant visitAt, Instant at) {
        for (EngineObserver observer : observers) {
            observer.appointmentConfirmed(appointmentId, visitAt, at);
        }
    }

    @Override
    public void optedOut(Instant at) {
        for (EngineObserver observer : observers) {
            observer.optedOut(at);
        }
    }
}
