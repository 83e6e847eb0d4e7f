package clinicrelay.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.journal.JournalPosition;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.PlannedDelivery;
import clinicrelay.testing.CapturedLog;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The delivery state machine: which moves are allowed, and that a move the table forbids
 * is refused — logged (ids only), counted, and not applied — as a corrupt or out-of-order
 * record would otherwise silently rewrite a delivery.
 */
class DeliveryStateTest {
    private static final Instant NOW = Instant.parse("2026-11-27T15:00:00Z");
    private static final Instant START = Instant.parse("2026-12-01T20:30:00Z");
    private static final String ID = "appt-1|confirmation_sms|" + START.getEpochSecond() + "|e1";

    private final CapturedLog log = new CapturedLog(Clock.systemUTC());
    private final DeliveryBook book = new DeliveryBook(new Appointments(), EngineObserver.NONE, log.log());

    private void plan() {
        book.planned(new PlannedDelivery(ID, "appt-1", DeliveryKind.CONFIRMATION_SMS, NOW, START, START.getEpochSecond()));
    }

    @Test
    void finalStatesNeverChangeAndSentOnlyMovesForward() {
        for (DeliveryState end : List.of(DeliveryState.DELIVERED, DeliveryState.SKIPPED, DeliveryState.EXPIRED)) {
            for (DeliveryState next : DeliveryState.values()) {
                assertFalse(end.mayBecome(next), end + " -> " + next);
            }
        }
        Set<DeliveryState> fromSent = EnumSet.noneOf(DeliveryState.class);
        for (DeliveryState next : DeliveryState.values()) {
            if (DeliveryState.SENT.mayBecome(next)) {
                fromSent.add(next);
            }
        }
        assertEquals(EnumSet.of(DeliveryState.DELIVERED, DeliveryState.UNDELIVERED, DeliveryState.FAILED), fromSent);
        assertFalse(DeliveryState.ATTEMPTING.mayBecome(DeliveryState.CANCELLED), "a send in flight is not withdrawn");
        assertFalse(DeliveryState.PENDING.mayBecome(DeliveryState.DEAD), "dead only after an attempt spent the budget");
        assertTrue(DeliveryState.CANCELLED.mayBecome(DeliveryState.PENDING), "planned again when the start moves back");
        assertTrue(DeliveryState.DEAD.mayBecome(DeliveryState.PENDING), "the operator's retry");
    }

    @Test
    void aResultTheTableForbidsIsRefusedLoggedAndCountedNotApplied() {
        plan();
        book.result(ID, Outcome.ended(DeliveryState.DEAD, "http 500"), 999); // dead without an attempt
        Delivery delivery = book.get(ID);
        assertEquals(DeliveryState.PENDING, delivery.state(), "not applied");
        assertEquals(JournalPosition.NONE, delivery.resultPosition(), "no result taken");
        assertEquals(1, book.illegalTransitions());
        String logged = log.text();
        assertTrue(logged.contains("ERROR illegal delivery state change refused"), logged);
        assertTrue(logged.contains("outcome=pending_to_dead") && logged.contains("appointment_id=appt-1"), logged);
        assertEquals(List.of(), book.invariantViolations(), "the book is still consistent");
    }

    @Test
    void aLegalLifeKeepsCountsAndInvariants() {
        plan();
        assertEquals(1, book.countByState().get(DeliveryState.PENDING));
        book.attemptStarted(ID, 1, false, 100);
        assertEquals(List.of(), book.invariantViolations());
        book.result(ID, Outcome.retry("twilio http 500", NOW.plusSeconds(30), true), 200);
        assertEquals(List.of(), book.invariantViolations(), "a send to verify keeps where its message is");
        assertEquals(100, book.get(ID).sendPosition());
        book.attemptStarted(ID, 2, true, 300);
        assertEquals(100, book.get(ID).sendPosition(), "a check sends nothing: the send looked for is still the first");
        book.result(ID, Outcome.sent("SM1"), 400);
        book.status(ID, DeliveryState.DELIVERED);
        book.status(ID, DeliveryState.SENT); // late and lower: ignored, not illegal
        assertEquals(DeliveryState.DELIVERED, book.get(ID).state());
        assertEquals(0, book.illegalTransitions());
        assertEquals(java.util.Map.of(DeliveryState.DELIVERED, 1), book.countByState());
        assertEquals(List.of(), book.invariantViolations());
    }
}
