package clinicrelay.delivery;

import clinicrelay.planning.DeliveryKind;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory provider for engine tests: records what it was asked to send, answers from
 * a script (default: accepted), can hold sends to one recipient until released, and
 * answers reconciliation from what it really received.
 */
final class ScriptedChannel implements MessageChannel {
    private final String name;
    private final List<OutgoingMessage> received = new ArrayList<>();
    private final Deque<AttemptResult> script = new ArrayDeque<>();
    private final Map<String, AttemptResult> byRecipient = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private int providerIds;
    private int reconcileFailures;

    ScriptedChannel(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** The next sends answer these, in order; then "accepted" again. */
    synchronized void answerNext(AttemptResult... results) {
        script.addAll(List.of(results));
    }

    /** Every send to this recipient answers this. */
    void alwaysAnswer(String recipient, AttemptResult result) {
        byRecipient.put(recipient, result);
    }

    /** Sends to this recipient wait (after being received) until {@link #release}. */
    void hold(String recipient) {
        held.put(recipient, new CountDownLatch(1));
    }

    void release(String recipient) {
        CountDownLatch latch = held.remove(recipient);
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public AttemptResult send(OutgoingMessage message) throws InterruptedException {
        AttemptResult result;
        synchronized (this) {
            received.add(message);
            result = byRecipient.containsKey(message.to()) ? byRecipient.get(message.to())
                    : script.isEmpty() ? new AttemptResult.Sent(name + "-" + (++providerIds)) : script.poll();
        }
        CountDownLatch latch = held.get(message.to());
        if (latch != null && !latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("held send never released");
        }
        return result;
    }

    /** The next {@code count} reconciliations cannot tell (the provider's list is down). */
    synchronized void failReconcile(int count) {
        reconcileFailures = count;
    }

    @Override
    public synchronized String findSent(OutgoingMessage message, Instant attemptStarted, java.util.Set<String> claimed)
            throws ReconcileException {
        if (reconcileFailures > 0) {
            reconcileFailures--;
            throw new ReconcileException("list answered 503");
        }
        for (OutgoingMessage earlier : received) {
            if (earlier.to().equals(message.to()) && earlier.body().equals(message.body())) {
                return name + "-reconciled";
            }
        }
        return null;
    }

    synchronized List<OutgoingMessage> received() {
        return List.copyOf(received);
    }

    synchronized List<String> kindsReceived() {
        List<String> kinds = new ArrayList<>();
        for (OutgoingMessage message : received) {
            String[] parts = message.deliveryId().split("\\|");
            // a reminder by its offset; a notice's label is its event's tag, which tests need not know
            kinds.add(parts[1] + (parts[1].equals(DeliveryKind.REMINDER_SMS.wireName()) ? ":" + parts[3] : ""));
        }
        return kinds;
    }
}
