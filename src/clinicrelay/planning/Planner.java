package clinicrelay.planning;

import clinicrelay.config.QuietHours;
import clinicrelay.config.ReminderOffsets;
import clinicrelay.config.SmsConsent;
import clinicrelay.config.SmsCountries;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventType;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.Appointments;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decides what to send about an appointment when an event changes it: a pure function of
 * (the change, the event's type, the settings, the time the event arrived, what is still
 * pending), so replaying the journal plans exactly what was planned the first time.
 * README "What happens to an appointment":
 *
 * <ul>
 *   <li>created: confirmation SMS now (or when quiet hours end), confirmation email, one
 *   reminder per offset still ahead, moved before quiet hours when it would fall in them;</li>
 *   <li>start moved: everything pending for the old start cancelled, a "rescheduled" SMS
 *   and the reminders for the new start; an update that does not move the start sends nothing;</li>
 *   <li>cancelled: everything pending cancelled, a cancellation SMS;</li>
 *   <li>checked in or no-show: pending reminders cancelled, nothing sent.</li>
 * </ul>
 *
 * Nothing is planned for an appointment whose start is unknown or past. Consent is
 * checked here; opt-outs (which can change any time) when sending.
 */
public final class Planner {

    /**
     * What planning depends on besides the appointment.
     *
     * @param fetchDetails thin events get a "fetch details" step (the Zocdoc API is configured)
     * @param channels     the channels that are on: nothing is planned for the others
     * @param smsCountries where texts may go (checked when one is due)
     * @param crmSync      every change of an appointment gets a "CRM sync" step (a CRM is configured, or a dry run)
     */
    public record Settings(List<Duration> reminderOffsets, QuietHours quietHours, SmsConsent smsConsent, ZoneId clinicZone,
                           boolean fetchDetails, Set<Channel> channels, SmsCountries smsCountries, boolean crmSync) {
        public Settings(List<Duration> reminderOffsets, QuietHours quietHours, SmsConsent smsConsent, ZoneId clinicZone,
                        boolean fetchDetails, Set<Channel> channels, SmsCountries smsCountries) {
            this(reminderOffsets, quietHours, smsConsent, clinicZone, fetchDetails, channels, smsCountries, false);
        }

        public Settings(List<Duration> reminderOffsets, QuietHours quietHours, SmsConsent smsConsent, ZoneId clinicZone) {
            this(reminderOffsets, quietHours, smsConsent, clinicZone, false);
        }

        public Settings(List<Duration> reminderOffsets, QuietHours quietHours, SmsConsent smsConsent, ZoneId clinicZone,
                        boolean fetchDetails) {
            this(reminderOffsets, quietHours, smsConsent, clinicZone, fetchDetails, EnumSet.allOf(Channel.class),
                    SmsCountries.parse(SmsCountries.DEFAULT));
        }
    }

    /**
     * How long a thin event's details are fetched for. Zocdoc retries a webhook for 48 hours;
     * past that the sweep, not this step, catches up.
     */
    static final Duration FETCH_WINDOW = Duration.ofDays(2);
    /** How long a CRM sync keeps trying: a CRM outage of days; after that the operator retries it. */
    static final Duration CRM_WINDOW = Duration.ofDays(7);

    /** A delivery still pending for the appointment, as the planner needs to know it. */
    public record Pending(String id, DeliveryKind kind) {
    }

    /** The decision: deliveries to create and pending ones to cancel. */
    public record Plan(List<PlannedDelivery> create, List<String> cancel) {
        public static final Plan NOTHING = new Plan(List.of(), List.of());

        public boolean isEmpty() {
            return create.isEmpty() && cancel.isEmpty();
        }
    }

    private final Settings settings;

    public Planner(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param eventKey the journal key of the event: notices (confirmations, cancellation,
     *                 rescheduled) are named after it, so a second booking or cancellation
     *                 of the same appointment and time gets its own notice, while planning
     *                 the same event twice names the same ones
     */
    public Plan plan(Appointments.Change change, EventType type, Instant now, String eventKey, Collection<Pending> pending) {
        String tag = noticeTag(eventKey);
        Appointment after = change.after();
        List<PlannedDelivery> create = new ArrayList<>();
        List<String> cancel = new ArrayList<>();
        switch (type) {
            case CREATED:
                if (change.before() != null && change.before().isBooked() && change.startMoved()) {
                    // "created" again for a booked appointment at another time: it moved
                    cancelAll(pending, cancel);
                    planNotice(after, DeliveryKind.RESCHEDULED_SMS, now, tag, create);
                    planReminders(after, now, create);
                } else if (change.before() == null || !change.before().isBooked()) {
                    cancelAll(pending, cancel);
                    planConfirmations(after, now, tag, create);
                    planReminders(after, now, create);
                }
                break;
            case UPDATED:
                if (after.isBooked() && change.startMoved()) {
                    cancelAll(pending, cancel);
                    planNotice(after, DeliveryKind.RESCHEDULED_SMS, now, tag, create);
                    planReminders(after, now, create);
                } else if (after.isBooked() && change.before() != null && change.before().start() == null) {
                    // The first event that tells the start (a thin event's details, say): plan as if just created.
                    planConfirmations(after, now, tag, create);
                    planReminders(after, now, create);
                } else if (after.isBooked() && change.before() == null) {
                    // An appointment first heard of through an update (Zocdoc notifies patient-booked
                    // appointments only when they change): it was confirmed elsewhere, but still gets reminders.
                    planReminders(after, now, create);
                }
                break;
            case CANCELLED:
                // everything but a cancellation notice still waiting (quiet hours): a repeated
                // cancellation must not withdraw the only message telling the patient
                for (Pending delivery : pending) {
                    if (!delivery.kind().isCancellationNotice()) {
                        cancel.add(delivery.id());
                    }
                }
                if (change.before() == null || change.before().status() != after.status()) {
                    planNotice(after, DeliveryKind.CANCELLATION_SMS, now, tag, create);
                    planEmail(after, DeliveryKind.CANCELLATION_EMAIL, now, tag, create);
                }
                break;
            case CHECKED_IN:
            case NO_SHOW:
                for (Pending delivery : pending) {
                    if (delivery.kind() == DeliveryKind.REMINDER_SMS) {
                        cancel.add(delivery.id());
                    }
                }
                break;
            default:
                break;
        }
        // A channel that is off (no credentials outside a dry run) gets nothing planned.
        create.removeIf(delivery -> delivery.kind().isMessage() && !settings.channels().contains(delivery.kind().channel()));
        if (settings.crmSync() && changesTheCrmRecord(change)) {
            // the CRM's record follows every change (cancelled, moved, arrived, missed too): consent and opt-outs do not apply
            create.add(new PlannedDelivery(PlannedDelivery.idOf(after.id(), DeliveryKind.CRM_SYNC, 0, tag), after.id(),
                    DeliveryKind.CRM_SYNC, now, now.plus(CRM_WINDOW), 0));
        }
        return new Plan(create, cancel);
    }

    /**
     * A thin event (ids only): one "fetch details" step, whose answer arrives as an event of
     * its own and is planned then. Arrived and no-show are planned directly (see
     * {@link #plan}); nothing when the API is not configured.
     */
    public Plan planFetch(AppointmentEvent event, Instant now, String eventKey) {
        if (!settings.fetchDetails() || event.appointmentId() == null
                || event.type() == EventType.CHECKED_IN || event.type() == EventType.NO_SHOW) {
            return Plan.NOTHING;
        }
        String id = PlannedDelivery.idOf(event.appointmentId(), DeliveryKind.FETCH_DETAILS, 0, noticeTag(eventKey));
        return new Plan(List.of(new PlannedDelivery(id, event.appointmentId(), DeliveryKind.FETCH_DETAILS, now,
                now.plus(FETCH_WINDOW), 0)), List.of());
    }

    /** A new appointment with a time, or a change of its status, time or provider: what its CRM Task shows. */
    private static boolean changesTheCrmRecord(Appointments.Change change) {
        Appointment before = change.before();
        Appointment after = change.after();
        if (after.start() == null) {
            return false; // a thin event: its details, fetched, are planned in their turn
        }
        return before == null || before.start() == null || before.status() != after.status() || change.startMoved()
                || !java.util.Objects.equals(before.providerId(), after.providerId())
                || !java.util.Objects.equals(before.providerName(), after.providerName());
    }

    private static void cancelAll(Collection<Pending> pending, List<String> cancel) {
        for (Pending delivery : pending) {
            cancel.add(delivery.id());
        }
    }

    /** A short, stable name for an event's notices: the hex of its key's (specified) String hash. */
    static String noticeTag(String eventKey) {
        return "e" + Integer.toHexString(eventKey.hashCode());
    }

    private void planConfirmations(Appointment appointment, Instant now, String tag, List<PlannedDelivery> create) {
        if (!isAhead(appointment, now)) {
            return;
        }
        planNotice(appointment, DeliveryKind.CONFIRMATION_SMS, now, tag, create);
        planEmail(appointment, DeliveryKind.CONFIRMATION_EMAIL, now, tag, create);
    }

    /** An e-mail that goes out now (e-mail keeps no quiet hours), while the visit is ahead. */
    private static void planEmail(Appointment appointment, DeliveryKind kind, Instant now, String tag, List<PlannedDelivery> create) {
        if (!isAhead(appointment, now) || !Consent.mayEmail(appointment.reach())) {
            return;
        }
        Instant start = appointment.start().toInstant();
        create.add(new PlannedDelivery(PlannedDelivery.idOf(appointment.id(), kind, start.getEpochSecond(), tag),
                appointment.id(), kind, now, start, start.getEpochSecond()));
    }

    /** An SMS that goes out now, or when quiet hours end if that is still before the start. */
    private void planNotice(Appointment appointment, DeliveryKind kind, Instant now, String tag, List<PlannedDelivery> create) {
        if (!isAhead(appointment, now) || !mayText(appointment)) {
            return;
        }
        Instant start = appointment.start().toInstant();
        Instant due = settings.quietHours().nextAllowed(now.atZone(zoneOf(appointment))).toInstant();
        if (due.isBefore(start)) {
            create.add(new PlannedDelivery(PlannedDelivery.idOf(appointment.id(), kind, start.getEpochSecond(), tag),
                    appointment.id(), kind, due, start, start.getEpochSecond()));
        }
    }

    /** One reminder per offset whose time, moved out of quiet hours, is still ahead. */
    private void planReminders(Appointment appointment, Instant now, List<PlannedDelivery> create) {
        if (!isAhead(appointment, now) || !mayText(appointment)) {
            return;
        }
        Instant start = appointment.start().toInstant();
        ZoneId zone = zoneOf(appointment);
        for (Duration offset : settings.reminderOffsets()) {
            ZonedDateTime due = settings.quietHours().lastAllowedBefore(start.minus(offset).atZone(zone));
            Instant dueAt = due.toInstant();
            // Two offsets pushed to the same minute by quiet hours make one reminder, not two.
            boolean sameMomentPlanned = create.stream()
                    .anyMatch(planned -> planned.kind() == DeliveryKind.REMINDER_SMS && planned.dueAt().equals(dueAt));
            if (dueAt.isAfter(now) && dueAt.isBefore(start) && !sameMomentPlanned) {
                String id = PlannedDelivery.idOf(appointment.id(), DeliveryKind.REMINDER_SMS, start.getEpochSecond(),
                        ReminderOffsets.label(offset));
                create.add(new PlannedDelivery(id, appointment.id(), DeliveryKind.REMINDER_SMS, dueAt, start,
                        start.getEpochSecond()));
            }
        }
    }

    private static boolean isAhead(Appointment appointment, Instant now) {
        return appointment.start() != null && appointment.start().toInstant().isAfter(now);
    }

    private boolean mayText(Appointment appointment) {
        return Consent.mayText(settings.smsConsent(), appointment);
    }

    private ZoneId zoneOf(Appointment appointment) {
        return appointment.zone(settings.clinicZone());
    }
}
