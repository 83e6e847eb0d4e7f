package clinicrelay.planning;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.event.Timestamps;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.AppointmentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Every appointment's state, folded from events in journal order. Not thread-safe: owned
 * by the delivery engine's single thread.
 */
public final class Appointments {

    /**
     * The state before and after one event (before is null for a new appointment), and what
     * the event amounts to for this appointment: its own type, except that details fetched
     * from Zocdoc saying "created" for an appointment already known are an update.
     */
    public record Change(Appointment before, Appointment after, EventType type) {
        public boolean startMoved() {
            return before != null && before.start() != null && after.start() != null
                    && !before.start().toInstant().equals(after.start().toInstant());
        }
    }

    /**
     * How long after its start an appointment is remembered. Past that, nothing is sent
     * about it any more, and an event about it is taken as the first one heard.
     */
    public static final Duration KEPT_AFTER_START = Duration.ofDays(1);

    private final Map<String, Appointment> byId = new HashMap<>();
    /**
     * The latest receipt time of the events folded in. Forgetting is measured against it,
     * never against the wall clock, so that forgetting depends only on the events and a
     * replay of the journal forgets exactly what the live server forgot.
     */
    private Instant latestEvent = Instant.MIN;

    public Appointment get(String id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }

    /**
     * Forgets appointments that started more than {@link #KEPT_AFTER_START} before the
     * latest event: memory stays proportional to the appointments ahead. Forgetting here
     * changes no outcome, since {@link #apply} ignores such an appointment anyway.
     */
    public int forgetPast() {
        Instant cutoff = cutoff();
        int before = byId.size();
        byId.values().removeIf(a -> isPast(a, cutoff));
        return before - byId.size();
    }

    /**
     * Folds one event in, received at {@code receivedAt}; null when the event concerns no
     * appointment (unknown type, no id).
     */
    public Change apply(AppointmentEvent event, Instant receivedAt) {
        if (receivedAt.isAfter(latestEvent)) {
            latestEvent = receivedAt;
        }
        if (event.type() == EventType.UNKNOWN || event.appointmentId() == null) {
            return null;
        }
        Appointment before = byId.get(event.appointmentId());
        if (before != null && isPast(before, cutoff())) {
            before = null;
        }
        if (event.shape() == EventShape.THIN && !(before != null && withdrawsReminders(event.type()))) {
            // A thin event says only that something changed: its details, fetched from the API,
            // come as an event of their own. Arrived and no-show need no details: they only
            // withdraw the reminders of an appointment we know.
            return null;
        }
        Instant version = AppointmentEvent.SOURCE_ZOCDOC_API.equals(event.source()) ? Timestamps.parseUtcInstant(event.updatedAt()) : null;
        if (version != null && before != null && before.version() != null && !version.isAfter(before.version())) {
            // Details fetched for an older webhook that finished after a newer one: stale, not news.
            return null;
        }
        EventType type = version != null && before != null && event.type() == EventType.CREATED
                ? EventType.UPDATED // the API calls every recent booking "created": only the first time is news
                : event.type();
        Appointment after = merge(before, event, version, type);
        if (isPast(after, cutoff())) {
            byId.remove(after.id()); // an event about the past: nothing to keep it for
        } else {
            byId.put(after.id(), after);
        }
        return new Change(before, after, type);
    }

    private static boolean withdrawsReminders(EventType type) {
        return type == EventType.CHECKED_IN || type == EventType.NO_SHOW;
    }

    private Instant cutoff() {
        return latestEvent.equals(Instant.MIN) ? Instant.MIN : latestEvent.minus(KEPT_AFTER_START);
    }

    private static boolean isPast(Appointment appointment, Instant cutoff) {
        return appointment.start() != null && appointment.start().toInstant().isBefore(cutoff);
    }

    private static Appointment merge(Appointment before, AppointmentEvent event, Instant version, EventType type) {
        AppointmentStatus status = statusAfter(before == null ? null : before.status(), type);
        if (before == null) {
            return new Appointment(event.appointmentId(), status, event.startTime(), event.providerId(), event.providerName(),
                    event.locationId(), event.locationName(), event.locationPhone(), event.videoLink(), event.patient(), version);
        }
        return new Appointment(before.id(), status,
                either(event.startTime(), before.start()),
                either(event.providerId(), before.providerId()),
                either(event.providerName(), before.providerName()),
                either(event.locationId(), before.locationId()),
                either(event.locationName(), before.locationName()),
                either(event.locationPhone(), before.locationPhone()),
                either(event.videoLink(), before.videoLink()),
                mergePatient(before.patient(), event.patient()),
                version != null ? version : before.version());
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
