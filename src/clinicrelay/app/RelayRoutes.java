package clinicrelay.app;

import clinicrelay.analytics.PracticeStats;
import clinicrelay.config.Config;
import clinicrelay.dashboard.DashboardAuth;
import clinicrelay.dashboard.DashboardRoutes;
import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.forward.Forwarder;
import clinicrelay.http.BodyBudget;
import clinicrelay.http.Route;
import clinicrelay.http.WhenUnavailable;
import clinicrelay.ingest.Capacity;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.Journal;
import clinicrelay.metrics.MetricsHandler;
import clinicrelay.metrics.RelayMetrics;
import clinicrelay.signature.HexSignature;
import clinicrelay.signature.SignatureScheme;
import clinicrelay.signature.StandardWebhooksSignature;
import clinicrelay.signature.WebhookVerifier;
import clinicrelay.signature.ZocdocV1Signature;
import clinicrelay.twilio.TwilioInboundHandler;
import clinicrelay.twilio.TwilioStatusHandler;
import clinicrelay.zocdoc.ZocdocWebhookHandler;
import java.util.ArrayList;
import java.util.List;

/** Every route a relay serves, and the handler behind each: the webhooks, Twilio's callbacks, health, metrics, the dashboard. */
final class RelayRoutes {
    private RelayRoutes() {
    }

    static List<Route> routes(Config config, Relay.Options options, Journal journal, EventIngest ingest, Capacity capacity,
                              DeliveryEngine engine, PracticeStats stats, RelayMetrics metrics, Attention attention,
                              Forwarder forwarder) {
        List<SignatureScheme> schemes = new ArrayList<>();
        if (config.signatureSchemes.contains(ZocdocV1Signature.NAME)) {
            schemes.add(new ZocdocV1Signature(config.webhookSecrets, config.timestampToleranceSeconds));
        }
        if (config.signatureSchemes.contains(HexSignature.NAME)) {
            schemes.add(new HexSignature(config.webhookSecrets));
        }
        BodyBudget bodies = new BodyBudget(); // one budget for every webhook route: the bound is on the process
        ZocdocWebhookHandler zocdoc = new ZocdocWebhookHandler(bodies, new WebhookVerifier(schemes, options.clock()),
                ingest, WhenUnavailable.DROP_CONNECTION, config.zocdocApiConfigured, options.log(), metrics::webhook);
        HealthHandler health = new HealthHandler(journal, ingest, capacity, engine, attention, options.clock());
        TwilioInboundHandler inbound = new TwilioInboundHandler(config.publicBaseUrl, config.twilioAuthToken, engine,
                config.clinicName, config.clinicPhone, options.log());
        TwilioStatusHandler status = new TwilioStatusHandler(config.publicBaseUrl, config.twilioAuthToken, engine, options.log());
        List<Route> routes = new ArrayList<>(List.of(
                new Route("/webhook", zocdoc, WhenUnavailable.DROP_CONNECTION),
                new Route("/webhooks/zocdoc", zocdoc, WhenUnavailable.DROP_CONNECTION),
                new Route("/health", health, WhenUnavailable.RESPOND_503),
                // Twilio's console keeps the URL as typed: with a trailing slash too.
                new Route(Relay.TWILIO_INBOUND_PATH, inbound, WhenUnavailable.RESPOND_503),
                new Route(Relay.TWILIO_INBOUND_PATH + "/", inbound, WhenUnavailable.RESPOND_503),
                new Route(Relay.TWILIO_STATUS_PATH, status, WhenUnavailable.RESPOND_503),
                new Route(Relay.TWILIO_STATUS_PATH + "/", status, WhenUnavailable.RESPOND_503),
                new Route("/metrics", new MetricsHandler(metrics, config.metricsToken), WhenUnavailable.RESPOND_503)));
        if (!config.standardWebhookKeys.isEmpty()) {
            routes.add(new Route("/webhooks/standard", ZocdocWebhookHandler.standardWebhooks(bodies, new WebhookVerifier(
                    List.of(new StandardWebhooksSignature(config.standardWebhookKeys)), options.clock()), ingest, options.log(),
                    metrics::webhook), WhenUnavailable.RESPOND_503));
        }
        routes.addAll(DashboardRoutes.routes(new DashboardAuth(config.dashboardPassword, config.trustedProxies,
                config.publicBaseUrl, options.clock(), options.log()),
                stats, engine, forwarder, config.clinicName, config.clinicTimezone, config.publicBaseUrl));
        return routes;
    }
}
