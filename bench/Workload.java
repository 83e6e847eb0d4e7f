import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Webhook bodies as a practice's booking platform sends them: appointments 2 to 57 days
 * ahead at clinic hours (so every event is planned: a confirmation now, a reminder later),
 * 80 % created, 12 % updated (three in four of them rescheduled), 8 % cancelled, and 5 %
 * exact redeliveries of a recent body. Ids are UUIDs like Zocdoc's; every patient is a
 * different (fictional) one. Deterministic for a seed.
 */
final class Workload {
    /** Recent appointments that updates and cancellations are about. */
    private static final int RECENT_MAX = 5_000;
    /** Recent bodies a redelivery repeats. */
    private static final int SENT_KEPT = 256;

    private final String prefix;
    private final Random random;
    private final Instant now;
    private final List<String> recent = new ArrayList<>();
    private final List<OffsetDateTime> recentStarts = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();
    private int events;
    private int appointments;

    Workload(String prefix, long seed, Instant now) {
        this.prefix = prefix;
        this.random = new Random(seed);
        this.now = now;
    }

    /** The next body to post. */
    byte[] next() {
        int roll = random.nextInt(100);
        if (roll < 5 && !sent.isEmpty()) {
            return sent.get(random.nextInt(sent.size())); // an exact redelivery
        }
        byte[] body = fresh();
        if (sent.size() < SENT_KEPT) {
            sent.add(body);
        } else {
            sent.set(random.nextInt(SENT_KEPT), body);
        }
        return body;
    }

    private byte[] fresh() {
        String eventId = prefix + "-evt-" + (events++);
        int roll = random.nextInt(100);
        if (roll < 80 || recent.isEmpty()) {
            String id = UUID.nameUUIDFromBytes((prefix + "-appt-" + (appointments++)).getBytes(StandardCharsets.UTF_8)).toString();
            OffsetDateTime start = start();
            if (recent.size() == RECENT_MAX) {
                int gone = random.nextInt(RECENT_MAX);
                recent.set(gone, id);
                recentStarts.set(gone, start);
            } else {
                recent.add(id);
                recentStarts.add(start);
            }
            return body(eventId, "appointment.created", id, start, appointments);
        }
        int which = random.nextInt(recent.size());
        String id = recent.get(which);
        if (roll < 92) {
            OffsetDateTime start = random.nextInt(4) == 0 ? recentStarts.get(which) : start();
            recentStarts.set(which, start);
            return body(eventId, "appointment.updated", id, start, which);
        }
        return body(eventId, "appointment.cancelled", id, recentStarts.get(which), which);
    }

    /** 2 to 57 days ahead, 8:00 to 17:45 in 15-minute slots, at UTC-5. */
    private OffsetDateTime start() {
        return OffsetDateTime.ofInstant(now, ZoneOffset.ofHours(-5)).plusDays(2 + random.nextInt(56))
                .withHour(8 + random.nextInt(10)).withMinute(15 * random.nextInt(4)).withSecond(0).withNano(0);
    }

    private static byte[] body(String eventId, String type, String appointmentId, OffsetDateTime start, int patient) {
        return String.format(Locale.ROOT, "{\"event_id\":\"%s\",\"event_type\":\"%s\",\"created_at\":\"%s\","
                        + "\"appointment\":{\"id\":\"%s\",\"start_time\":\"%s\",\"provider\":{\"id\":\"pr_%d\",\"name\":\"Dr. Provider %d\"},"
                        + "\"location_id\":\"lo_1\",\"location_name\":\"Elm Street Clinic\",\"visit_type\":\"in_person\","
                        + "\"patient\":{\"first_name\":\"Bench%d\",\"last_name\":\"Patient\",\"phone\":\"(617) 555-%04d\","
                        + "\"email\":\"bench.patient%d@example.com\",\"date_of_birth\":\"1980-01-01\","
                        + "\"sms_consent\":true,\"email_consent\":true}}}",
                eventId, type, Instant.now().toString(), appointmentId, start, patient % 20, patient % 20, patient,
                patient % 10_000, patient).getBytes(StandardCharsets.UTF_8);
    }
}
