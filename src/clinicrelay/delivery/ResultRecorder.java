package clinicrelay.delivery;

import clinicrelay.journal.DurableBatch;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns how attempts ended into a delivery's next state — sent, a retry after a backoff
 * (looking for the last send first when its outcome is unknown), failed, dead, expired —
 * and records it: the result record first, the state change once it is on disk. A result
 * the journal refused keeps its slot and is recorded again {@link RetryPolicy#BUSY_RETRY}
 * later by the engine's clock. Engine thread only.
 */
final class ResultRecorder {
    /** A settled attempt whose result the journal refused, to be recorded again at {@code at}. */
    private record Deferred(EngineInbox.Settled attempt, Instant at) {
    }

    private final DeliveryBook book;
    private final LaneWorkers lanes;
    private final RetryPolicy retries;
    private final CredentialFailures credentials;
    private final Clock clock;
    private final Log log;
    private final List<Deferred> deferred = new ArrayList<>();

    ResultRecorder(DeliveryBook book, LaneWorkers lanes, RetryPolicy retries, CredentialFailures credentials, Clock clock,
                   Log log) {
        this.book = book;
        this.credentials = credentials;
        this.lanes = lanes;
        this.retries = retries;
        this.clock = clock;
        this.log = log;
    }

    /** Records the settled attempts, and those deferred until now, with one wait for the disk. */
    void record(List<EngineInbox.Settled> settled, Instant now, DurableBatch batch) {
        for (Iterator<Deferred> it = deferred.iterator(); it.hasNext(); ) {
            Deferred waiting = it.next();
            if (!waiting.at().isAfter(now)) {
                it.remove();
                record(waiting.attempt(), now, batch);
            }
        }
        for (EngineInbox.Settled attempt : settled) {
            record(attempt, now, batch);
        }
        batch.commit();
    }

    /** Settled attempts whose result the journal refused, waiting (each holds its slot). */
    int waitingToBeRecordedAgain() {
        return deferred.size();
    }

    /** When a deferred result is next due to be recorded again, or null. */
    Instant nextRetryAt() {
        Instant next = null;
        for (Deferred waiting : deferred) {
            next = Instants.earlier(next, waiting.at());
        }
        return next;
    }

    private void record(EngineInbox.Settled attempt, Instant now, DurableBatch batch) {
        Delivery delivery = book.get(attempt.deliveryId());
        if (delivery == null || delivery.state() != DeliveryState.ATTEMPTING) {
            lanes.releaseSlot(attempt.lane()); // settled otherwise meanwhile (a provider status, say)
            return;
        }
        Outcome outcome = outcomeOf(delivery, attempt.result(), now);
        credentials.observe(attempt.lane().wireName(), attempt.result());
        Runnable settle = () -> {
            lanes.releaseSlot(attempt.lane());
            logAttempt(delivery.id(), outcome, attempt.latencyNanos());
        };
        add(batch, delivery, outcome, settle, () -> deferred.add(new Deferred(attempt, RetryPolicy.afterRefusal(clock))));
        String to = attempt.recipient();
        if (attempt.result() instanceof AttemptResult.Failed failed && failed.optedOut() && to != null && !book.isOptedOut(to)) {
            batch.add(List.of(DeliveryRecords.optedOut(to, "provider", now)), () -> book.optedOut(to, now), () -> { });
        }
    }

    /**
     * What an attempt's result means for its delivery: a retry unless the budget is spent
     * (dead) or the next attempt would come after the start (expired).
     */
    private Outcome outcomeOf(Delivery delivery, AttemptResult result, Instant now) {
        if (result instanceof AttemptResult.Sent sent) {
            return Outcome.sent(sent.providerMessageId());
        } else if (result instanceof AttemptResult.NotSent notSent) {
            return Outcome.retry(notSent.reason(), now, false);
        } else if (result instanceof AttemptResult.Retry retry) {
            return retryOrGiveUp(delivery, retry.reason(), retry.retryAfter(), false, now);
        } else if (result instanceof AttemptResult.Uncertain uncertain) {
            // A message may have gone out: look before sending again. A step runs again (harmless).
            return retryOrGiveUp(delivery, uncertain.reason(), uncertain.retryAfter(), delivery.kind().isMessage(), now);
        }
        return Outcome.ended(DeliveryState.FAILED, ((AttemptResult.Failed) result).reason());
    }

    private Outcome retryOrGiveUp(Delivery delivery, String reason, Duration retryAfter, boolean verify, Instant now) {
        Instant next = retries.nextAttempt(delivery.kind(), delivery.attempts(), now, retryAfter);
        if (next == null) {
            return Outcome.ended(DeliveryState.DEAD, reason);
        }
        if (!next.isBefore(delivery.notAfter())) {
            return Outcome.ended(DeliveryState.EXPIRED, reason);
        }
        return Outcome.retry(reason, next, verify);
    }

    /** The send gate's verdict on a due delivery: skipped or expired (logged), or postponed (not logged). */
    void decided(DurableBatch batch, Delivery delivery, Outcome outcome) {
        Runnable logged = outcome.state().isPending() ? () -> { } : () -> logAttempt(delivery.id(), outcome, 0);
        add(batch, delivery, outcome, logged, () -> book.postpone(delivery, RetryPolicy.afterRefusal(clock)));
    }

    /** Adds the result record; once it is on disk the book takes the outcome, then {@code then} runs. */
    private void add(DurableBatch batch, Delivery delivery, Outcome outcome, Runnable then, Runnable onRefused) {
        batch.add(List.of(DeliveryRecords.result(delivery.id(), delivery.attempts(), outcome)), positions -> {
            book.result(delivery.id(), outcome, positions[0]);
            then.run();
        }, onRefused);
    }

    /** One line per attempt, as it ended: read back from the book, so a refused change logs what stands. */
    private void logAttempt(String deliveryId, Outcome outcome, long latencyNanos) {
        Delivery delivery = book.get(deliveryId);
        if (delivery == null) {
            return;
        }
        Field[] fields = {
            Field.outcome(delivery.state().wireName()), Field.kind(delivery.kind().wireName()),
            Field.appointmentId(delivery.appointmentId()), Field.count("attempt", delivery.attempts()),
            Field.reason(outcome.error() == null ? "-" : outcome.error()), Field.latencyMillis(latencyNanos)
        };
        if (delivery.state() == DeliveryState.DEAD || delivery.state() == DeliveryState.FAILED) {
            log.warn("delivery", fields);
        } else {
            log.info("delivery", fields);
        }
    }
}
