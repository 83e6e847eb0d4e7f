package clinicrelay.metrics;

import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.delivery.EngineObserver;
import clinicrelay.forward.ForwardStatus;
import clinicrelay.forward.Forwarder;
import clinicrelay.journal.BatchListener;
import clinicrelay.planning.DeliveryKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What {@code /metrics} shows: webhooks by source and outcome, the journal's
 * append-to-durable latency and fsync batch size, deliveries by channel and outcome, the
 * pending and dead deliveries and the oldest overdue one, Zocdoc API calls by outcome, and
 * the JVM heap. Counts only; no label ever holds request content or patient data.
 */
public final class RelayMetrics implements EngineObserver, BatchListener {
    private final Metrics registry = new Metrics();
    private final Metrics.Counter webhooks = registry.counter("clinic_relay_webhooks_total",
            "Webhook requests by source and outcome (accepted, duplicate, invalid_signature, ...).", "source", "outcome");
    private final Metrics.Histogram appendSeconds = registry.histogram("clinic_relay_journal_append_seconds",
            "Time from a record's append to its fsync, in seconds.",
            0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5);
    private final Metrics.Histogram batchRecords = registry.histogram("clinic_relay_journal_batch_records",
            "Records written per fsync (group commit).", 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024);
    private final Metrics.Counter deliveries = registry.counter("clinic_relay_deliveries_total",
            "Deliveries reaching an outcome since start, by channel and outcome.", "channel", "outcome");
    private final Metrics.Counter smsRefused = registry.counter("clinic_relay_sms_refused_total",
            "Due texts refused on purpose since start, by reason (country: outside SMS_ALLOWED_COUNTRIES).", "reason");
    private final Metrics.Counter crmSeveralContacts = registry.counter("clinic_relay_crm_several_contacts_total",
            "CRM syncs whose patient matched several Salesforce Contacts (the oldest was used).");
    private final Metrics.Counter zocdocCalls = registry.counter("clinic_relay_zocdoc_api_calls_total",
            "Zocdoc partner API calls by call and outcome.", "call", "outcome");
    /** Off while the journal replays: counters count what this process did, not history. */
    private volatile boolean live;
    private volatile long quarantinedBytes;
    private volatile boolean overCapacity;

    public RelayMetrics() {
        Runtime runtime = Runtime.getRuntime();
        registry.gauge("clinic_relay_jvm_heap_used_bytes", "JVM heap in use, in bytes.",
                () -> runtime.totalMemory() - runtime.freeMemory());
        registry.gauge("clinic_relay_journal_quarantined_bytes",
                "Bytes of a torn journal tail quarantined and cut off at start-up (0: the journal ended cleanly).",
                () -> quarantinedBytes);
        registry.gauge("clinic_relay_over_capacity",
                "1 while new events are refused because the relay is at its capacity (heap or engine backlog), else 0.",
                () -> overCapacity ? 1 : 0);
    }

    /** Adds the engine's gauges and starts counting (call once replay is over). */
    public void live(DeliveryEngine engine) {
        registry.gauge("clinic_relay_deliveries_pending", "Deliveries waiting to be sent (incl. retries).",
                () -> engine.counts().getOrDefault(DeliveryState.PENDING, 0));
        registry.gauge("clinic_relay_deliveries_dead", "Deliveries that gave up after their retry budget.",
                () -> engine.counts().getOrDefault(DeliveryState.DEAD, 0));
        registry.gauge("clinic_relay_oldest_pending_delivery_age_seconds",
                "How long the longest-waiting overdue delivery has waited, in seconds (0 when none).",
                engine::oldestPendingAgeSeconds);
        live = true;
    }

    /** Adds each forwarding target's lag and counts. */
    public void forwarding(Forwarder forwarder) {
        registry.gauges("clinic_relay_forward_lag_events", "Stored events a forwarding target has not had yet, by target id.",
                "target", () -> byTarget(forwarder, ForwardStatus::lagEvents));
        registry.gauges("clinic_relay_forward_lag_seconds",
                "How long the oldest event a forwarding target has not had has waited, in seconds, by target id.",
                "target", () -> byTarget(forwarder, ForwardStatus::lagSeconds));
        registry.gauges("clinic_relay_forward_sent", "Events a forwarding target accepted since start, by target id.",
                "target", () -> byTarget(forwarder, ForwardStatus::forwarded));
        registry.gauges("clinic_relay_forward_dead", "Events a forwarding target gave up on, still listed for retry, by target id.",
                "target", () -> byTarget(forwarder, status -> (long) status.dead().size()));
        registry.gauges("clinic_relay_forward_off", "1 while a forwarding target is switched off (it answered 410), by target id.",
                "target", () -> byTarget(forwarder, status -> status.off() ? 1L : 0L));
    }

    private static Map<String, Long> byTarget(Forwarder forwarder, ToLongFunction<ForwardStatus> value) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (ForwardStatus status : forwarder.statuses()) {
            values.put(status.target().id(), value.applyAsLong(status));
        }
        return values;
    }

    /** The capacity guard started or stopped refusing new events. */
    public void overCapacity(boolean refusing) {
        overCapacity = refusing;
    }

    /** What start-up found at the end of the journal. */
    public void quarantined(long bytes) {
        quarantinedBytes = bytes;
    }

    public void webhook(String source, String outcome) {
        webhooks.inc(source, outcome);
    }

    public void zocdocCall(String call, String outcome) {
        zocdocCalls.inc(call.replace(' ', '_'), outcome);
    }

    @Override
    public void batchForced(int records, long[] appendToDurableNanos) {
        batchRecords.observe(records);
        for (long nanos : appendToDurableNanos) {
            appendSeconds.observe(nanos / 1e9);
        }
    }

    @Override
    public void deliveryState(String appointmentId, DeliveryKind kind, DeliveryState state, Instant visitAt) {
        if (live) {
            deliveries.inc(kind.lane().wireName(), state.wireName());
        }
    }

    @Override
    public void smsRefused(String reason) {
        if (live) {
            smsRefused.inc(reason);
        }
    }

    /** A CRM sync found several Contacts for one patient. */
    public void crmSeveralContacts() {
        crmSeveralContacts.inc();
    }

    public String render() {
        return registry.render();
    }
}
