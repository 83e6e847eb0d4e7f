package clinicrelay.analytics;

import clinicrelay.delivery.DeliveryState;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.planning.Appointment;
import clinicrelay.planning.AppointmentStatus;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.Reachability;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

/**
 * A made-up practice's year, fed to {@link PracticeStats} the way the engine would: bookings
 * mostly on weekday mornings and evenings, visits in office hours, about 12 % cancelled,
 * 7 % no-shows (fewer when reminded), reminders sent and delivered. For the dashboard
 * screenshot, the bench and tests; no real data.
 */
public final class SyntheticPractice {
    public static final List<String> PROVIDER_NAMES = List.of("Dr. Jane Smith", "Dr. Omar Haddad", "Dr. Mei Chen",
            "Dr. Lucía Ortega", "Dr. Sam O'Neil", "Dr. Priya Raman", "Dr. Tom Becker", "Dr. Ana Silva", "Dr. Ken Ito",
            "Dr. Zoe Adams", "Dr. Ravi Kumar", "Dr. Ines Moreau", "Dr. Paul Novak", "Dr. Lena Berg", "Dr. Ada Lovel",
            "Dr. Noah Park", "Dr. Eva Horn", "Dr. Ivan Petrov", "Dr. Sara Cohen", "Dr. Max Weber");

    private SyntheticPractice() {
    }

    /** Feeds {@code appointments} bookings made between {@code from} and {@code to} among {@code providers} providers. */
    public static void feed(PracticeStats stats, int appointments, int providers, Instant from, Instant to, ZoneId zone,
                            long seed) {
        Random random = new Random(seed);
        long span = Duration.between(from, to).getSeconds();
        for (int i = 0; i < appointments; i++) {
            Instant day = from.plusSeconds((long) (span * (i / (double) appointments)));
            // people book around work: mornings and evenings, rarely at night
            int[] hours = {7, 8, 8, 9, 9, 10, 11, 12, 13, 17, 18, 19, 19, 20, 20, 21, 22, 14, 15, 16};
            Instant booked = day.atZone(zone).withHour(hours[random.nextInt(hours.length)]).withMinute(random.nextInt(60))
                    .toInstant();
            OffsetDateTime start = booked.atZone(zone).plusDays(1 + random.nextInt(21)).withHour(8 + random.nextInt(9))
                    .withMinute(random.nextBoolean() ? 0 : 30).withSecond(0).withNano(0).toOffsetDateTime();
            int provider = random.nextInt(providers);
            String id = "syn-" + i;
            Appointment booking = new Appointment(id, AppointmentStatus.BOOKED, start, "pr_" + provider,
                    PROVIDER_NAMES.get(provider % PROVIDER_NAMES.size()), Reachability.NONE, null);
            stats.appointmentChanged(new Appointments.Change(null, booking, EventType.CREATED), event(id, EventType.CREATED), booked);
            double fate = random.nextDouble();
            Instant visit = start.toInstant();
            if (fate < 0.12) {
                Appointment cancelled = withStatus(booking, AppointmentStatus.CANCELLED);
                stats.appointmentChanged(new Appointments.Change(booking, cancelled, EventType.CANCELLED),
                        event(id, EventType.CANCELLED), booked.plus(Duration.between(booked, visit).dividedBy(2)));
                continue;
            }
            boolean reminded = random.nextDouble() < 0.85;
            if (reminded) {
                stats.deliveryState(id, DeliveryKind.REMINDER_SMS, DeliveryState.SENT, visit);
                stats.deliveryState(id, DeliveryKind.REMINDER_SMS,
                        random.nextDouble() < 0.96 ? DeliveryState.DELIVERED : DeliveryState.UNDELIVERED, visit);
                if (Math.floorMod(id.hashCode(), 5) < 3) { // three in five reply C (no draw: the sequence stays as it was)
                    stats.appointmentConfirmed(id, visit, visit.minus(Duration.ofHours(20)));
                }
            }
            boolean noShow = random.nextDouble() < (reminded ? 0.05 : 0.14);
            Appointment after = withStatus(booking, noShow ? AppointmentStatus.NO_SHOW : AppointmentStatus.CHECKED_IN);
            stats.appointmentChanged(new Appointments.Change(booking, after, noShow ? EventType.NO_SHOW : EventType.CHECKED_IN),
                    event(id, noShow ? EventType.NO_SHOW : EventType.CHECKED_IN), visit.plusSeconds(600));
            if (random.nextDouble() < 0.002) {
                stats.optedOut(booked);
            }
        }
    }

    private static Appointment withStatus(Appointment a, AppointmentStatus status) {
        return new Appointment(a.id(), status, a.start(), a.providerId(), a.providerName(), a.reach(), a.version());
    }

    private static AppointmentEvent event(String appointmentId, EventType type) {
        return AppointmentEvent.builder("synthetic", EventShape.FULL, type).eventId("e").appointmentId(appointmentId).build();
    }
}
