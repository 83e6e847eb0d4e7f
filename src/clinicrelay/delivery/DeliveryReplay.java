package clinicrelay.delivery;

import clinicrelay.appointment.Appointments;
import clinicrelay.event.AppointmentEvent;
import clinicrelay.ingest.EventRecords;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the delivery engine's state from the journal at start-up: appointments from
 * events, deliveries from their records, opt-outs, attempts in flight, and the events
 * whose planning never reached the disk (a crash between storing an event and planning
 * it), which the engine plans again when it starts.
 */
public final class DeliveryReplay implements Journal.ReplayVisitor {
    /** An event stored but not yet planned, with the change it made. */
    record Unplanned(String eventKey, AppointmentEvent event, Instant receivedAt, Appointments.Change change) {
    }

    /** Events replayed between two evictions of past appointments, to bound memory during replay. */
    static final int EVICTION_EVERY_EVENTS = 10_000;

    private final RecordCodec codec;
    private final Planner planner;
    private int eventsSinceEviction;
    final Appointments appointments = new Appointments();
    final DeliveryBook book = new DeliveryBook();
    private final Map<String, Unplanned> unplanned = new LinkedHashMap<>();

    /** @param planning the engine's planning settings: events whose plan is empty need no marker */
    public DeliveryReplay(RecordCodec codec, Planner.Settings planning) {
        this.codec = codec;
        this.planner = new Planner(planning);
    }

    @Override
    public void visit(StoredRecord record) throws JournalCorruptException {
        RecordType type = record.type();
        if (type == null) {
            return;
        }
        try {
            apply(type, record);
        } catch (JsonException | GeneralSecurityException | RuntimeException unreadable) {
            throw new JournalCorruptException(record.segment(), record.offset(),
                    "a " + type + " record cannot be read (" + unreadable.getClass().getSimpleName() + ")");
        }
    }

    private void apply(RecordType type, StoredRecord record) throws JsonException, GeneralSecurityException {
        switch (type) {
            case EVENT_RECEIVED: {
                EventRecords.StoredEvent stored = EventRecords.fromRecord(record, codec);
                Appointments.Change change = appointments.apply(stored.event());
                // Only an event with something to plan gets a marker; one without needs no second look.
                if (change != null && !planner.plan(change, stored.event().type(), stored.receivedAt(),
                        book.pendingFor(change.after().id())).isEmpty()) {
                    unplanned.put(record.key(), new Unplanned(record.key(), stored.event(), stored.receivedAt(), change));
                } else if (change != null) {
                    forgetIfPast(change.after().id(), stored.receivedAt());
                }
                if (++eventsSinceEviction == EVICTION_EVERY_EVENTS) {
                    eventsSinceEviction = 0;
                    evict(stored.receivedAt());
                }
                break;
            }
            case EVENT_PLANNED:
                unplanned.remove(record.key());
                break;
            case DELIVERY_PLANNED: {
                JsonObject p = record.publicPart();
                book.planned(new PlannedDelivery(record.key(), p.string("appointment_id"),
                        DeliveryKind.fromWireName(p.string("kind")), Instant.parse(p.string("due_at")),
                        Instant.parse(p.string("not_after")), Instant.parse(p.string("not_after")).getEpochSecond()));
                break;
            }
            case DELIVERY_CANCELLED:
                book.cancelled(record.key());
                break;
            case DELIVERY_ATTEMPT: {
                JsonObject p = record.publicPart();
                JsonObject phi = codec.openPhi(record);
                int attempt = p.number("attempt").toLongOrNull().intValue();
                Channel channel = Channel.valueOf(p.string("channel").toUpperCase(java.util.Locale.ROOT));
                OutgoingMessage message = new OutgoingMessage(record.key(), attempt, channel,
                        phi == null ? null : phi.string("to"), phi == null ? null : phi.string("subject"),
                        phi == null ? null : phi.string("body"));
                book.attemptStarted(message, Instant.parse(p.string("started_at")));
                break;
            }
            case DELIVERY_RESULT: {
                JsonObject p = record.publicPart();
                String retryAt = p.string("retry_at");
                book.result(record.key(), DeliveryState.fromWireName(p.string("state")), p.string("provider_id"),
                        p.string("error"), retryAt == null ? null : Instant.parse(retryAt));
                break;
            }
            case DELIVERY_STATUS:
                book.status(record.key(), DeliveryState.fromWireName(record.publicPart().string("state")));
                break;
            case PHONE_OPTED_OUT:
            case PHONE_OPTED_IN: {
                JsonObject phi = codec.openPhi(record);
                if (phi != null && phi.string("phone") != null) {
                    if (type == RecordType.PHONE_OPTED_OUT) {
                        book.optedOut(phi.string("phone"));
                    } else {
                        book.optedIn(phi.string("phone"));
                    }
                }
                break;
            }
            default:
                break;
        }
    }

    /** Forgets an appointment already past its grace with nothing open: an event about the past. */
    void forgetIfPast(String appointmentId, Instant now) {
        var appointment = appointments.get(appointmentId);
        if (appointment != null && appointment.start() != null
                && appointment.start().toInstant().isBefore(now.minus(DeliveryEngine.APPOINTMENT_GRACE))
                && !book.hasOpenDeliveries(appointmentId)) {
            appointments.forget(appointmentId);
        }
    }

    /** Forgets appointments and deliveries that nothing will be sent about any more (see DeliveryEngine.APPOINTMENT_GRACE). */
    void evict(Instant now) {
        Instant cutoff = now.minus(DeliveryEngine.APPOINTMENT_GRACE);
        appointments.evictStartedBefore(cutoff, book::hasOpenDeliveries);
        book.evictFinishedBefore(cutoff, now.minus(DeliveryEngine.PROBLEM_RETENTION));
    }

    List<Unplanned> unplanned() {
        return new ArrayList<>(unplanned.values());
    }
}
