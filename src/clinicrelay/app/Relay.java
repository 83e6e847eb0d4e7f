package clinicrelay.app;

import clinicrelay.analytics.PracticeStats;
import clinicrelay.channel.ChannelOff;
import clinicrelay.channel.DryRunOutbox;
import clinicrelay.channel.HttpAnswers;
import clinicrelay.channel.SendGridEmail;
import clinicrelay.config.Config;
import clinicrelay.config.ReminderOffsets;
import clinicrelay.dashboard.DashboardAuth;
import clinicrelay.dashboard.DashboardRoutes;
import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.EngineInbox;
import clinicrelay.delivery.MessageChannel;
import clinicrelay.forward.ForwardTarget;
import clinicrelay.forward.Forwarder;
import clinicrelay.http.HealthServer;
import clinicrelay.http.Route;
import clinicrelay.http.TlsContexts;
import clinicrelay.http.WebServer;
import clinicrelay.http.WhenUnavailable;
import clinicrelay.ingest.Capacity;
import clinicrelay.ingest.EventIngest;
import clinicrelay.journal.DataDirLock;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalHealth;
import clinicrelay.journal.PrivateFiles;
import clinicrelay.journal.RecordCodec;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.metrics.MetricsHandler;
import clinicrelay.metrics.RelayMetrics;
import clinicrelay.planning.Channel;
import clinicrelay.planning.Planner;
import clinicrelay.signature.HexSignature;
import clinicrelay.signature.SignatureScheme;
import clinicrelay.signature.StandardWebhooksSignature;
import clinicrelay.signature.WebhookVerifier;
import clinicrelay.signature.ZocdocV1Signature;
import clinicrelay.template.TemplateException;
import clinicrelay.template.Templates;
import clinicrelay.twilio.TwilioInboundHandler;
import clinicrelay.twilio.TwilioSms;
import clinicrelay.twilio.TwilioStatusHandler;
import clinicrelay.zocdoc.ProviderNames;
import clinicrelay.zocdoc.ZocdocApi;
import clinicrelay.zocdoc.ZocdocDetailsFetch;
import clinicrelay.zocdoc.ZocdocSweep;
import clinicrelay.zocdoc.ZocdocWebhookHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * One running clinic-relay: wires configuration, the data-dir lock, the journal (replayed),
 * the ingest and the HTTP routes, and takes them down in the reverse order. Start-up fails
 * closed: no webhook secret, a wrong PHI key or a corrupt journal stop it with a message.
 */
public final class Relay implements AutoCloseable {
    static final String TWILIO_STATUS_PATH = "/twilio/status";
    static final String TWILIO_INBOUND_PATH = "/twilio/inbound";

    private final DataDirLock lock;
    private final Journal journal;
    private final DeliveryEngine engine;
    private final WebServer server;
    private final ZocdocSweep sweep;
    private final Checkpointer checkpointer;
    private final Retention retention;
    private final HealthServer healthServer;
    private final Oversight oversight;
    private final PracticeStats stats;
    private final Forwarder forwarder;

    /** What tests and the CLI can vary; production uses {@link #defaults}. */
    /** @param heap null: watch the old generation against {@code capacity}'s fraction (production) */
    public record Options(Clock clock, Log log, Journal.Options journal, SecureRandom random, CapacityLimits capacity,
                          HeapProbe heap) {
        public Options(Clock clock, Log log, Journal.Options journal, SecureRandom random) {
            this(clock, log, journal, random, CapacityLimits.DEFAULTS, null);
        }

        public static Options defaults(Log log) {
            return new Options(Clock.systemUTC(), log, Journal.Options.defaults(), new SecureRandom());
        }
    }

    /** Start-up refused: the message says why and what to do. */
    public static final class StartupException extends Exception {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Relay(DataDirLock lock, Journal journal, DeliveryEngine engine, WebServer server, ZocdocSweep sweep,
                  Checkpointer checkpointer, Retention retention, HealthServer healthServer, Oversight oversight,
                  PracticeStats stats, Forwarder forwarder) {
        this.lock = lock;
        this.journal = journal;
        this.engine = engine;
        this.server = server;
        this.sweep = sweep;
        this.checkpointer = checkpointer;
        this.retention = retention;
        this.healthServer = healthServer;
        this.oversight = oversight;
        this.stats = stats;
        this.forwarder = forwarder;
    }

    /** HEALTH_PORT's port, or -1 when it is not set. */
    public int healthPort() {
        return healthServer == null ? -1 : healthServer.port();
    }

    public static Relay start(Config config, Options options) throws StartupException, IOException {
        if (config.webhookSecrets.isEmpty()) {
            throw new StartupException(ConfigChecks.NO_WEBHOOK_SECRET, null);
        }
        Log log = options.log();
        ConfigChecks.warnings(config).forEach(log::warn);
        Templates templates = templates(config);
        PrivateFiles.directory(config.dataDir);
        DataDirLock lock = DataDirLock.acquire(config.dataDir);
        Journal journal = null;
        DeliveryEngine engine = null;
        ZocdocSweep sweep = null;
        Checkpointer checkpointer = null;
        Forwarder forwarder = null;
        Retention retention = null;
        HealthServer healthServer = null;
        Oversight oversight = null;
        try {
            RecordCodec codec = PhiProtection.forServing(config, options.random(), options.clock(), log);
            ZoneId statsZone = config.clinicTimezone != null ? config.clinicTimezone : ZoneId.of("UTC");
            Checkpoints.Opened opened = Checkpoints.open(config.dataDir, options.journal(),
                    new ReplayedState.Settings(config.dedupeWindow, statsZone, options.clock(), codec, log,
                            Forwarder.targets(config.forwarding).stream().map(ForwardTarget::id).toList()), log);
            journal = opened.journal();
            ReplayedState state = opened.state();
            RelayMetrics metrics = state.metrics;
            PracticeStats stats = state.stats;
            metrics.quarantined(journal.quarantinedBytes());
            Providers providers = providers(config, options, metrics, log);
            // Built in the order data flows, each given what it hands on to: the inbox first,
            // so the ingest can tell the engine of stored events without knowing it.
            EngineInbox inbox = new EngineInbox();
            if (config.forwarding != null) {
                forwarder = Forwarder.start(config.forwarding, config.dataDir, journal, codec, state.forwards, providers.http(),
                        options.clock(), "clinic-relay/" + Version.current(), log);
                metrics.forwarding(forwarder);
            }
            Forwarder onward = forwarder;
            EventIngest.Listener stored = onward == null ? inbox : (event, at, key, position) -> {
                inbox.stored(event, at, key, position);
                onward.stored();
            };
            HeapProbe heap = options.heap() != null ? options.heap()
                    : HeapProbe.oldGeneration(options.capacity().heapAfterGcFraction());
            CapacityGuard capacity = new CapacityGuard(inbox, heap,
                    options.capacity().withUnplannedEventsAtMost(config.unplannedEventsMax), metrics, log);
            EventIngest ingest = state.ingest.attach(journal, codec, options.clock(), stored, capacity);
            ZocdocDetailsFetch fetchDetails = providers.zocdoc() == null ? null
                    : new ZocdocDetailsFetch(providers.zocdoc(), providers.names(), ingest, options.clock(), log);
            engine = new DeliveryEngine(journal, codec, state.deliveries, inbox,
                    EngineSetup.settings(config, options, templates, providers.http(), fetchDetails, codec, metrics, log), log);
            if (providers.zocdoc() != null) {
                sweep = new ZocdocSweep(providers.zocdoc(), ingest, journal, codec, options.clock(), config.zocdocSweepInterval,
                        state.sweepMark.through(), log);
            }
            engine.start();
            metrics.live(engine);
            if (sweep != null) {
                sweep.start();
            }
            ZocdocSweep liveSweep = sweep;
            checkpointer = new Checkpointer(config.dataDir, journal, engine, state,
                    () -> liveSweep != null ? liveSweep.through() : state.sweepMark.through(), opened.replayedFrom(), log);
            checkpointer.start();
            retention = new Retention(config.dataDir, codec.dataKeys(), journal, config.phiRetention, config.journalRetention,
                    options.clock(), log);
            retention.start();
            oversight = Oversight.start(config, engine, sweep, forwarder, options.clock(), log);
            List<Route> routes = RelayRoutes.routes(config, options, journal, ingest, capacity, engine, stats, metrics,
                    oversight.attention, forwarder);
            if (config.healthPort != null) {
                healthServer = HealthServer.start(new InetSocketAddress(config.bindAddress, config.healthPort),
                        routes.stream().filter(r -> r.path().equals("/health")).findFirst().orElseThrow().handler());
            }
            WebServer server = WebServer.start(new InetSocketAddress(config.bindAddress, config.port), tls(config), routes, log);
            log.info("clinic-relay listening", Field.address(server.address().getHostString() + ":" + server.port()),
                    Field.version(Version.current()),
                    Field.count("journal_records", journal.replayReport().records()),
                    Field.count("events_stored", ingest.storedEvents()));
            return new Relay(lock, journal, engine, server, sweep, checkpointer, retention, healthServer, oversight, stats,
                    forwarder);
        } catch (JournalCorruptException corrupt) {
            lock.close();
            throw new StartupException(corrupt.getMessage(), corrupt);
        } catch (ReplayedState.KeyMismatch wrongKey) {
            lock.close();
            throw new StartupException(wrongKey.getMessage(), null);
        } catch (IOException | RuntimeException | StartupException e) {
            if (oversight != null) {
                oversight.close();
            }
            if (healthServer != null) {
                healthServer.close();
            }
            if (retention != null) {
                retention.close();
            }
            if (checkpointer != null) {
                checkpointer.close();
            }
            if (sweep != null) {
                sweep.close();
            }
            if (forwarder != null) {
                forwarder.close();
            }
            if (engine != null) {
                engine.close();
            }
            if (journal != null) {
                journal.close();
            }
            lock.close();
            throw e;
        }
    }

    private static Templates templates(Config config) throws StartupException {
        try {
            return Templates.load(config.templatesDir).withClinicPhone(config.clinicPhone);
        } catch (TemplateException unusable) {
            throw new StartupException(unusable.getMessage(), null);
        }
    }

    /** The outside services the relay talks to: Zocdoc's API and provider names (when configured), one HTTP client for all. */
    private record Providers(HttpClient http, ZocdocApi zocdoc, ProviderNames names) {
    }

    private static Providers providers(Config config, Options options, RelayMetrics metrics, Log log)
            throws StartupException {
        boolean messaging = !config.dryRun && (config.twilioConfigured() || config.sendgridConfigured() || config.salesforce != null);
        // Built only when a provider is used: java.net.http costs start-up time and a selector thread.
        HttpClient http = !(messaging || config.zocdocApiConfigured || config.forwarding != null) ? null
                : HttpAnswers.newClient();
        Map<String, String> names = Map.of();
        if (config.providersFile != null) {
            try {
                names = ProviderNames.readFile(config.providersFile);
            } catch (IOException unreadable) {
                throw new StartupException(unreadable.getMessage() != null && unreadable.getMessage().startsWith("PROVIDERS_FILE")
                        ? unreadable.getMessage() : "PROVIDERS_FILE " + config.providersFile + " cannot be read", null);
            }
        }
        if (!config.zocdocApiConfigured) {
            return new Providers(http, null, null);
        }
        ZocdocApi api = new ZocdocApi(http, config.zocdocEnvironment, config.zocdocClientId, config.zocdocClientSecret,
                options.clock(), metrics::zocdocCall);
        log.info("zocdoc api", Field.reason(config.zocdocEnvironment.name() + ", sweep every "
                + ReminderOffsets.label(config.zocdocSweepInterval)));
        return new Providers(http, api, new ProviderNames(names, api, options.clock()));
    }

    private static SSLContext tls(Config config) throws StartupException {
        if (config.tlsKeystore == null) {
            return null;
        }
        try {
            return TlsContexts.fromPkcs12(config.tlsKeystore, config.tlsKeystorePassword);
        } catch (IOException | GeneralSecurityException e) {
            throw new StartupException("TLS_KEYSTORE " + config.tlsKeystore + " cannot be used: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.port();
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public JournalHealth journalHealth() {
        return journal.health();
    }

    public Journal journal() {
        return journal;
    }

    /** The forwarder, or null when nothing is forwarded. */
    public Forwarder forwarder() {
        return forwarder;
    }

    public DeliveryEngine engine() {
        return engine;
    }

    /** The practice's figures (the dashboard's source). */
    public PracticeStats stats() {
        return stats;
    }

    /** The Zocdoc sweep, or null without API credentials (tests run it by hand). */
    public ZocdocSweep sweep() {
        return sweep;
    }

    /**
     * Takes a checkpoint now (unless nothing changed since the last), for tests and the backup command.
     * @return the journal position it covers, or {@link clinicrelay.journal.JournalPosition#NONE} when none was written
     */
    public long checkpointNow() {
        return checkpointer.takeNow();
    }

    Checkpointer checkpointer() {
        return checkpointer;
    }

    Retention retention() {
        return retention;
    }

    Oversight oversight() {
        return oversight;
    }

    /** Stops taking requests, takes a last checkpoint (the next start replays little), stops the engine, lets the
     *  journal write what it has, releases the data dir. */
    @Override
    public void close() {
        oversight.close();
        if (sweep != null) {
            sweep.close();
        }
        server.close();
        if (healthServer != null) {
            healthServer.close();
        }
        retention.close();
        checkpointer.close();
        checkpointer.takeNow();
        if (forwarder != null) {
            forwarder.close();
        }
        engine.close();
        journal.close();
        try {
            lock.close();
        } catch (IOException ignored) {
            // The kernel releases the lock with the process anyway.
        }
    }
}
