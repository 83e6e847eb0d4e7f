package clinicrelay.delivery;

import clinicrelay.ingest.EventRecords;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.RecordType;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.PlannedDelivery;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    /** Events replayed between two sweeps of past appointments, to bound memory during replay. */
    static final int FORGET_EVERY_EVENTS = 10_000;

    private final RecordCodec codec;
    private int eventsSinceForget;
    private int invariantViolations;
    final Appointments appointments = new Appointments();
    final DeliveryBook book;
    final EngineObserver observer;
    /** Events stored and not (yet) seen planned, by journal key, in journal order. */
    private final Map<String, EngineInbox.StoredEvent> unplanned = new LinkedHashMap<>();

    /**
     * @param observer told of everything folded, now and (through the engine) later
     * @param log      where an illegal state change or a broken invariant is reported
     */
    public DeliveryReplay(RecordCodec codec, EngineObserver observer, Log log) {
        this.codec = codec;
        this.observer = observer;
        this.book = new DeliveryBook(appointments, observer, log);
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
                Appointments.Change change = appointments.apply(stored.event(), stored.receivedAt(), record.position());
                if (change != null) {
                    observer.appointmentChanged(change, stored.event(), stored.receivedAt());
                }
                // The live engine writes a "planned" marker for every event it has planned, with
                // the plan's records before it; an event without one was never planned.
                unplanned.put(record.key(), new EngineInbox.StoredEvent(record.key(), stored.event(), stored.receivedAt(),
                        record.position(), change));
                if (++eventsSinceForget == FORGET_EVERY_EVENTS) {
                    // Memory stays bounded during a long replay too, by the events' own clock.
                    eventsSinceForget = 0;
                    forgetPast(appointments.latestEvent());
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
            case DELIVERY_ATTEMPT:
                attempt(record);
                break;
            case DELIVERY_RESULT: {
                JsonObject p = record.publicPart();
                String retryAt = p.string("retry_at");
                book.result(record.key(), new Outcome(DeliveryState.fromWireName(p.string("state")), p.string("provider_id"),
                        p.string("error"), retryAt == null ? null : Instant.parse(retryAt), Boolean.TRUE.equals(p.bool("verify"))),
                        record.position());
                break;
            }
            case DELIVERY_RETRY:
                book.retryRequested(record.key(), Instant.parse(record.publicPart().string("at")));
                break;
            case DELIVERY_STATUS:
                book.status(record.key(), DeliveryState.fromWireName(record.publicPart().string("state")));
                break;
            case APPOINTMENT_CONFIRMED: {
                JsonObject p = record.publicPart();
                observer.appointmentConfirmed(record.key(), Instant.parse(p.string("visit_at")), Instant.parse(p.string("at")));
                break;
            }
            case PHONE_OPTED_OUT:
            case PHONE_OPTED_IN: {
                JsonObject phi = codec.openPhi(record);
                if (phi != null && phi.string("phone") != null) {
                    if (type == RecordType.PHONE_OPTED_OUT) {
                        String at = record.publicPart().string("at");
                        book.optedOut(phi.string("phone"), at == null ? Instant.EPOCH : Instant.parse(at));
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

    /** An attempt: the book keeps where it is (what was sent is read back from there when needed). */
    private void attempt(StoredRecord record) throws JsonException {
        JsonObject p = record.publicPart();
        int attempt = p.number("attempt").toLongOrNull().intValue();
        book.attemptStarted(record.key(), attempt, Boolean.TRUE.equals(p.bool("check")), record.position());
    }

    /** After replay: reports (ids only) whatever does not hold of the replayed state; see {@link DeliveryBook#invariantViolations}. */
    void checkInvariants(Log log) {
        List<String> violations = book.invariantViolations();
        for (String violation : violations) {
            log.error("delivery state inconsistent after replay", Field.reason(violation));
        }
        invariantViolations = violations.size();
    }

    /** Invariants found broken after replay (0 unless there is a bug). */
    int invariantViolations() {
        return invariantViolations;
    }

    /**
     * Forgets what nothing will be sent about any more: finished deliveries of appointments
     * that started over a day before {@code now} or last due over
     * {@link DeliveryEngine#SETTLED_RETENTION} before it (dead, failed and undelivered ones
     * stay for {@link DeliveryEngine#PROBLEM_RETENTION}, for the operator), then past
     * appointments with nothing left hanging on them (measured by the events, see
     * {@link Appointments#forgetPast}). Neither changes what a later event plans, so live
     * and replayed state plan alike however often this runs.
     */
    void forgetPast(Instant now) {
        if (now.equals(Instant.MIN)) {
            return;
        }
        book.evict(now.minus(Appointments.KEPT_AFTER_START), now.minus(DeliveryEngine.SETTLED_RETENTION),
                now.minus(DeliveryEngine.PROBLEM_RETENTION));
        appointments.forgetPast();
    }

    /**
     * The oldest journal position the state reads back (an appointment's details, a
     * delivery's last send or result), or {@link Long#MAX_VALUE}: retention keeps the
     * journal from there. Engine thread (or before it starts).
     */
    public long oldestPositionInUse() {
        return Math.min(appointments.oldestPosition(), book.oldestPosition());
    }

    /** What sealed opted-out numbers are labelled with in a checkpoint. */
    private static final String OPTED_OUT_LABEL = "checkpoint opted-out numbers v1";

    /**
     * Everything replay builds, for a checkpoint: the appointments with their deliveries,
     * and the opted-out numbers, sealed with the PHI key (they are patient data).
     */
    public void writeState(DataOutputStream out) throws IOException {
        appointments.writeTo(out, book::writeDeliveries);
        byte[] numbers = String.join("\n", book.optedOutNumbers()).getBytes(StandardCharsets.UTF_8);
        byte[] sealed = codec.sealApart(numbers, OPTED_OUT_LABEL);
        out.writeInt(sealed.length);
        out.write(sealed);
    }

    /** What {@link #writeState} wrote, into this fresh replay (before the journal after it is replayed). */
    public void readState(DataInputStream in) throws IOException {
        appointments.readFrom(in, book::readDeliveries);
        int length = in.readInt();
        if (length < 0 || length > CHECKPOINT_SEALED_BYTES_MAX) {
            throw new IOException("sealed opted-out numbers of " + length + " bytes");
        }
        byte[] sealed = new byte[length];
        in.readFully(sealed);
        try {
            String numbers = new String(codec.openApart(sealed, OPTED_OUT_LABEL), StandardCharsets.UTF_8);
            if (!numbers.isEmpty()) {
                book.restoreOptedOut(List.of(numbers.split("\n")));
            }
        } catch (GeneralSecurityException wrongKey) {
            throw new IOException("opted-out numbers cannot be opened with this key");
        }
    }

    /** Opted-out numbers a checkpoint may hold at most (a million numbers, sealed). */
    private static final int CHECKPOINT_SEALED_BYTES_MAX = 64 * 1024 * 1024;

    List<EngineInbox.StoredEvent> unplanned() {
        return new ArrayList<>(unplanned.values());
    }
}
