package clinicrelay.app;

import clinicrelay.channel.ChannelOff;
import clinicrelay.channel.DryRunOutbox;
import clinicrelay.channel.SendGridEmail;
import clinicrelay.config.Config;
import clinicrelay.crm.CrmStep;
import clinicrelay.crm.CrmSync;
import clinicrelay.crm.SalesforceApi;
import clinicrelay.delivery.DurableStep;
import clinicrelay.delivery.EngineSettings;
import clinicrelay.delivery.MessageChannel;
import clinicrelay.journal.RecordCodec;
import clinicrelay.log.Field;
import clinicrelay.log.Log;
import clinicrelay.metrics.RelayMetrics;
import clinicrelay.planning.Channel;
import clinicrelay.planning.Planner;
import clinicrelay.template.Templates;
import clinicrelay.twilio.TwilioSms;
import clinicrelay.zocdoc.ZocdocDetailsFetch;
import java.net.http.HttpClient;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the engine sends through and runs: in a dry run the outbox for messages and CRM
 * steps; otherwise Twilio and SendGrid when configured (off when not), Salesforce when
 * configured; the Zocdoc fetch step.
 */
final class EngineSetup {
    private EngineSetup() {
    }

    static EngineSettings settings(Config config, Relay.Options options, Templates templates, HttpClient http,
                                   ZocdocDetailsFetch fetchDetails, RecordCodec codec, RelayMetrics metrics, Log log) {
        DryRunOutbox outbox = new DryRunOutbox(config.dataDir, options.clock(), codec);
        Map<Channel, MessageChannel> channels = new EnumMap<>(Channel.class);
        channels.put(Channel.SMS, config.dryRun ? outbox : !config.twilioConfigured() ? new ChannelOff("sms")
                : new TwilioSms(http, config.twilioApiBase, config.twilioAccountSid, config.twilioAuthToken,
                        config.twilioPhoneNumber, config.twilioMessagingServiceSid,
                        config.publicBaseUrl == null ? null : config.publicBaseUrl + Relay.TWILIO_STATUS_PATH));
        channels.put(Channel.EMAIL, config.dryRun ? outbox : !config.sendgridConfigured() ? new ChannelOff("email")
                : new SendGridEmail(http, config.sendgridApiBase, config.sendgridApiKey, config.sendgridFromEmail,
                        config.clinicName));
        DurableStep crm = config.dryRun ? CrmStep.dryRun(outbox, config.clinicTimezone, log)
                : config.salesforce == null ? null
                : CrmStep.salesforce(new CrmSync(new SalesforceApi(http, config.salesforce), config.salesforce),
                        config.clinicTimezone, log, metrics::crmSeveralContacts);
        log.info("message channels", Field.reason("sms via " + channels.get(Channel.SMS).name()
                + ", email via " + channels.get(Channel.EMAIL).name() + (crm == null ? "" : ", crm via "
                + (config.dryRun ? "outbox" : crm.name()))));
        return new EngineSettings(planning(config, crm != null), templates, config.clinicName, channels, fetchDetails, crm,
                options.clock(), options.random());
    }

    static Planner.Settings planning(Config config, boolean crmSync) {
        return new Planner.Settings(config.reminderOffsets, config.quietHours, config.smsConsent, config.clinicTimezone,
                config.zocdocApiConfigured, ChannelsOn.of(config), config.smsCountries, crmSync);
    }
}
