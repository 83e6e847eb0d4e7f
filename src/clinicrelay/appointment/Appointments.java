package clinicrelay.appointment;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import java.util.HashMap;
import java.util.Map;

/**
 * Every appointment's state, folded from events in journal order. Not thread-safe: owned
 * by the delivery engine's single thread.
 */
public final class Appointments {

    /** The state before and after one event (before is null for a new appointment). */
    public record Change(Appointment before, Appointment after) {
        public boolean startMoved() {
            return before != null && before.start() != null && after.start() != null
                    && !before.start().toInstant().equals(after.start().toInstant());
        }
    }

    private final Map<String, Appointment> byId = new HashMap<>();

    public Appointment get(String id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }

    /** Forgets one appointment (nothing more will be sent about it). */
    public void forget(String id) {
        byId.remove(id);
    }

    /**
     * Forgets appointments that started before {@code cutoff} and that the predicate does
     * not keep (the engine keeps those with deliveries still open): nothing more will be
     * sent about them, so memory stays proportional to the appointments ahead.
     */
    public int evictStartedBefore(java.time.Instant cutoff, java.util.function.Predicate<String> keep) {
        int before = byId.size();
        byId.values().removeIf(a -> a.start() != null && a.start().toInstant().isBefore(cutoff) && !keep.test(a.id()));
        return before - byId.size();
    }

    /** Folds one event in; null when the event concerns no appointment (unknown type, no id). */
    public Change apply(AppointmentEvent event) {
        if (event.type() == EventType.UNKNOWN || event.appointmentId() == null) {
            return null;
        }
        Appointment before = byId.get(event.appointmentId());
        Appointment after = merge(before, event);
        byId.put(after.id(), after);
        return new Change(before, after);
    }

    private static Appointment merge(Appointment before, AppointmentEvent event) {
        AppointmentStatus status = statusAfter(before == null ? null : before.status(), event.type());
        if (before == null) {
            return new Appointment(event.appointmentId(), status, event.startTime(), event.providerId(), event.providerName(),
                    event.locationId(), event.locationName(), event.locationPhone(), event.videoLink(), event.patient());
        }
        return new Appointment(before.id(), status,
                either(event.startTime(), before.start()),
                either(event.providerId(), before.providerId()),
                either(event.providerName(), before.providerName()),
                either(event.locationId(), before.locationId()),
                either(event.locationName(), before.locationName()),
                either(event.locationPhone(), before.locationPhone()),
                either(event.videoLink(), before.videoLink()),
                mergePatient(before.patient(), event.patient()));
    }

    private static AppointmentStatus statusAfter(AppointmentStatus before, EventType type) {
        switch (type) {
            case CREATED: return AppointmentStatus.BOOKED;
            case CANCELLED: return AppointmentStatus.CANCELLED;
            case CHECKED_IN: return AppointmentStatus.CHECKED_IN;
            case NO_SHOW: return AppointmentStatus.NO_SHOW;
            default: return before == null ? AppointmentStatus.BOOKED : before;
        }
    }

    private static Patient mergePatient(Patient before, Patient update) {
        if (before == null || update == null) {
            return update == null ? before : update;
        }
        return new Patient(either(update.firstName(), before.firstName()), either(update.lastName(), before.lastName()),
                either(update.phone(), before.phone()), either(update.email(), before.email()),
                either(update.dateOfBirth(), before.dateOfBirth()), either(update.smsConsent(), before.smsConsent()),
                either(update.emailConsent(), before.emailConsent()));
    }

    private static <T> T either(T update, T before) {
        return update != null ? update : before;
    }
}
