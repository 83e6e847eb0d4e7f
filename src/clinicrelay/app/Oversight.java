package clinicrelay.app;

import clinicrelay.channel.ProbeResult;
import clinicrelay.channel.SendGridEmail;
import clinicrelay.config.Config;
import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.forward.Forwarder;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.zocdoc.ZocdocSweep;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps watch for what needs a person: probes the providers' credentials once at start (on
 * a thread of its own, so start-up never waits for a provider), then looks for problems
 * every minute and alerts when one is new.
 */
final class Oversight implements AutoCloseable {
    /** Longest a stop waits for an alert being sent. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    final Attention attention;
    /** Null when no alert destination is set. */
    final Alerter alerter;
    private final Thread probes;
    private final DaemonTimer alerts;

    private Oversight(Attention attention, Alerter alerter, Thread probes, DaemonTimer alerts) {
        this.attention = attention;
        this.alerter = alerter;
        this.probes = probes;
        this.alerts = alerts;
    }

    /**
     * Starts watching. No probe in a dry run (nothing goes to the providers, not even a
     * check); alerts go out in a dry run too: they are for the operator, not for patients.
     */
    /** @param forwarder null when nothing is forwarded */
    static Oversight start(Config config, DeliveryEngine engine, ZocdocSweep sweep, Forwarder forwarder, Clock clock, Log log) {
        Attention attention = new Attention(engine, sweep, forwarder, clock);
        boolean probe = !config.dryRun && (config.twilioConfigured() || config.sendgridConfigured() || config.zocdocApiConfigured
                || config.salesforce != null);
        boolean alerting = config.alertWebhookUrl != null || (config.alertEmail != null && config.sendgridConfigured());
        HttpClient http = probe || alerting ? clinicrelay.channel.HttpAnswers.newClient() : null;
        Thread probes = null;
        if (probe) {
            probes = new Thread(() -> probeOnce(config, http, attention, log), "credential-probe");
            probes.setDaemon(true);
            probes.start();
        }
        Alerter alerter = null;
        DaemonTimer alerts = null;
        if (alerting) {
            Alerter watching = new Alerter(attention::current, sinks(config, http, clock, log), config.clinicName, clock, log);
            alerter = watching;
            alerts = new DaemonTimer("alerts", () -> {
                try {
                    watching.check();
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException unexpected) { // the next look must still happen
                    log.warn("alert check failed", Field.reason(unexpected.getClass().getSimpleName()));
                }
            }, Alerter.FIRST_CHECK_AFTER, Alerter.CHECK_EVERY, STOP_WAIT);
        }
        return new Oversight(attention, alerter, probes, alerts);
    }

    static List<Alerter.Sink> sinks(Config config, HttpClient http, Clock clock, Log log) {
        List<Alerter.Sink> sinks = new ArrayList<>();
        if (config.alertWebhookUrl != null) {
            sinks.add(Alerter.webhook(http, config.alertWebhookUrl, log));
        }
        if (config.alertEmail != null && config.sendgridConfigured()) {
            sinks.add(Alerter.email(new SendGridEmail(http, config.sendgridApiBase, config.sendgridApiKey,
                    config.sendgridFromEmail, config.clinicName), config.alertEmail, clock, log));
        }
        return sinks;
    }

    private static void probeOnce(Config config, HttpClient http, Attention attention, Log log) {
        try {
            for (ProbeResult result : CredentialProbes.run(config, http)) {
                attention.probed(result);
                if (result.ok()) {
                    log.info("credentials checked", Field.reason(result.message()));
                } else {
                    log.warn("credentials check failed", Field.reason(result.message()));
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException unexpected) {
            log.warn("credentials check failed", Field.reason(unexpected.getClass().getSimpleName()));
        }
    }

    /** Waits for the start-up probes to answer (tests). */
    void awaitProbes(long millis) throws InterruptedException {
        if (probes != null) {
            probes.join(millis);
        }
    }

    @Override
    public void close() {
        if (probes != null) {
            probes.interrupt();
        }
        if (alerts != null) {
            alerts.close();
        }
    }
}
