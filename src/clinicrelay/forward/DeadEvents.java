package clinicrelay.forward;

import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.RecordCodec;
import clinicrelay.json.JsonException;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One target's given-up events: recording one (journal, ledger, a log line with ids only),
 * and, when the operator asks, sending the listed ones once more. Used from the target's
 * thread only.
 */
final class DeadEvents {
    private final ForwardTarget target;
    private final Journal journal;
    private final RecordCodec codec;
    private final ForwardLedger ledger;
    private final ForwardPayloads payloads;
    private final Log log;
    private final AtomicLong givenUp = new AtomicLong();

    DeadEvents(ForwardTarget target, Journal journal, RecordCodec codec, ForwardLedger ledger, ForwardPayloads payloads,
               Log log) {
        this.target = target;
        this.journal = journal;
        this.codec = codec;
        this.ledger = ledger;
        this.payloads = payloads;
        this.log = log;
    }

    void giveUp(ForwardLedger.Dead dead) {
        ledger.dead(target.id(), dead);
        journal.append(codec.encodeFrame(ForwardLedger.deadRecord(target.id(), dead)));
        givenUp.incrementAndGet();
        // Throttled: a target down for days gives up on each new event after one try.
        log.warnThrottled("forward_gave_up_" + target.id(), "forwarding gave up on an event for a target; it is listed for"
                + " retry in the operator view", Field.target(target.id()), Field.eventId(dead.eventKey()),
                Field.reason(dead.reason()), Field.count("given_up_since_start", givenUp.get()));
    }

    /** Events given up on since start. */
    long givenUp() {
        return givenUp.get();
    }

    /**
     * Sends each listed event once more, oldest first and out of journal order (receivers
     * dedupe on webhook-id); the first failure ends the round.
     *
     * @param sent    counts what went
     * @param running false once the relay is stopping: the round ends there
     * @return why the first event that did not go failed, or null when all went (an event that cannot be read
     *         is kept and passed over)
     */
    String sendAgain(Sink sink, AtomicLong sent, BooleanSupplier running) throws InterruptedException {
        String firstFailure = null;
        for (ForwardLedger.Dead dead : ledger.deadOf(target.id())) {
            if (!running.getAsBoolean()) {
                return firstFailure;
            }
            ForwardEvent event;
            try {
                event = payloads.from(journal.read(dead.position()), JournalPosition.NONE);
            } catch (NoSuchFileException gone) {
                left(dead, "gone");
                log.warn("a given-up event is no longer in the journal (retention) and leaves the list",
                        Field.target(target.id()), Field.eventId(dead.eventKey()));
                continue;
            } catch (IOException | JournalCorruptException | JsonException | GeneralSecurityException | RuntimeException unreadable) {
                if (firstFailure == null) { // kept for another try; the rest of the list still goes
                    firstFailure = "stored event unreadable (" + unreadable.getClass().getSimpleName() + ")";
                }
                continue;
            }
            SinkAnswer answer = sink.send(List.of(event));
            if (!answer.allAccepted()) {
                return answer.firstReason();
            }
            left(dead, "sent");
            sent.incrementAndGet();
        }
        return firstFailure;
    }

    private void left(ForwardLedger.Dead dead, String outcome) {
        ledger.redelivered(target.id(), dead.position());
        journal.append(codec.encodeFrame(ForwardLedger.redeliveredRecord(target.id(), dead.position(), outcome)));
    }
}
