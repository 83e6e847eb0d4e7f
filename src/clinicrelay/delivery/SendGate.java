package clinicrelay.delivery;

import clinicrelay.config.QuietHours;
import clinicrelay.config.SmsConsent;
import clinicrelay.config.SmsCountries;
import clinicrelay.event.PhoneCountries;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.AppointmentStatus;
import clinicrelay.planning.Channel;
import clinicrelay.planning.Consent;
import clinicrelay.planning.Planner;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Predicate;

/**
 * The last look before a due message goes out: a pure function of the delivery, what is
 * known of its appointment now, the opt-outs and the time. Planning decided long ago; since
 * then the appointment may have moved or been cancelled, consent may have been withdrawn,
 * the number may have opted out, or the clock may be inside quiet hours.
 */
final class SendGate {
    /** What to do with a due message. */
    sealed interface Decision permits Send, Skip, Postpone {
    }

    /** Send it now. */
    record Send() implements Decision {
    }

    /** Do not send it, ever: it ends in {@code state} ({@link DeliveryState#SKIPPED} or {@link DeliveryState#EXPIRED}). */
    record Skip(DeliveryState state, String reason) implements Decision {
    }

    /** Not now: due again at {@code until}. */
    record Postpone(Instant until, String reason) implements Decision {
    }

    static final String APPOINTMENT_STARTED = "appointment started";
    static final String COUNTRY_NOT_ALLOWED = "country not allowed";
    private static final Decision SEND = new Send();

    private final QuietHours quietHours;
    private final SmsConsent smsConsent;
    private final ZoneId clinicZone;
    private final SmsCountries smsCountries;
    private final EngineObserver observer;

    /** @param observer told of each text refused for its country (a counter an operator watches for SMS pumping) */
    SendGate(Planner.Settings settings, EngineObserver observer) {
        this.quietHours = settings.quietHours();
        this.smsConsent = settings.smsConsent();
        this.clinicZone = settings.clinicZone();
        this.smsCountries = settings.smsCountries();
        this.observer = observer;
    }

    /**
     * @param appointment what is known of it now, or null when it is not known (any more)
     * @param details     its details as read back from the journal (the recipient is there)
     * @param optedOut    whether a number has opted out of texts
     */
    Decision decide(Delivery delivery, Appointment appointment, AppointmentDetails details, Predicate<String> optedOut,
                    Instant now) {
        String reason = reasonNotToSend(delivery, appointment, details, optedOut, now);
        if (reason != null) {
            return new Skip(reason.equals(APPOINTMENT_STARTED) ? DeliveryState.EXPIRED : DeliveryState.SKIPPED, reason);
        }
        if (delivery.kind().channel() == Channel.SMS) {
            Instant allowed = quietHours.nextAllowed(now.atZone(appointment.zone(clinicZone))).toInstant();
            if (allowed.isAfter(now)) {
                return allowed.isBefore(delivery.notAfter()) ? new Postpone(allowed, "quiet hours")
                        : new Skip(DeliveryState.EXPIRED, "quiet hours until the appointment");
            }
        }
        return SEND;
    }

    /**
     * The same look for a step: it needs its service configured, and runs only within its
     * window ({@link Delivery#notAfter}).
     */
    Decision decideStep(Delivery delivery, boolean serviceConfigured, Instant now) {
        if (!serviceConfigured) {
            return new Skip(DeliveryState.EXPIRED, delivery.lane().wireName() + " api not configured");
        }
        if (!now.isBefore(delivery.notAfter())) {
            return new Skip(DeliveryState.EXPIRED, delivery.lane().wireName() + " window over");
        }
        return SEND;
    }

    private String reasonNotToSend(Delivery delivery, Appointment appointment, AppointmentDetails details,
                                   Predicate<String> optedOut, Instant now) {
        if (!now.isBefore(delivery.notAfter())) {
            return APPOINTMENT_STARTED;
        }
        if (appointment == null) {
            return "appointment unknown";
        }
        boolean cancellationNotice = delivery.kind().isCancellationNotice();
        if (!cancellationNotice && !appointment.isBooked()) {
            return "appointment no longer booked";
        }
        if (cancellationNotice && appointment.status() != AppointmentStatus.CANCELLED) {
            return "appointment booked again"; // an operator's late retry must not tell a booked patient "cancelled"
        }
        if (appointment.start() == null || !appointment.start().toInstant().equals(delivery.notAfter())) {
            return "appointment moved"; // planned for another start (it was in flight when the appointment moved)
        }
        String to = recipient(delivery, details);
        boolean sms = delivery.kind().channel() == Channel.SMS;
        if (to == null) {
            return "no " + (sms ? "phone" : "email");
        }
        if (sms ? !Consent.mayText(smsConsent, appointment) : !Consent.mayEmail(appointment.reach())) {
            return "no consent";
        }
        if (sms && optedOut.test(to)) {
            return "opted out";
        }
        if (sms && !smsCountries.allows(PhoneCountries.of(to))) {
            observer.smsRefused("country");
            return COUNTRY_NOT_ALLOWED;
        }
        return null;
    }

    /** The patient's number for a text, address for an e-mail; null when unknown (or for a step). */
    static String recipient(Delivery delivery, AppointmentDetails details) {
        if (!delivery.kind().isMessage() || details.patient() == null) {
            return null;
        }
        return delivery.kind().channel() == Channel.SMS ? details.patient().phone() : details.patient().email();
    }
}
