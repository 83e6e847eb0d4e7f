package clinicrelay.app;

import clinicrelay.channel.ProbeResult;
import clinicrelay.channel.SendGridKeyCheck;
import clinicrelay.config.Config;
import clinicrelay.crm.SalesforceApi;
import clinicrelay.crm.SalesforceException;
import clinicrelay.twilio.TwilioAccountCheck;
import clinicrelay.zocdoc.ZocdocApi;
import clinicrelay.zocdoc.ZocdocApiException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Asks each configured provider whether our credentials work, sending nothing: Twilio (the
 * account), SendGrid (the key's scopes), Zocdoc (a token). check-config --probe prints the
 * answers; serve asks once at start, on a thread of its own, and reports refusals.
 */
public final class CredentialProbes {
    /** How a Zocdoc token refusal reads: "zocdoc token http 401". */
    private static final Pattern ZOCDOC_REFUSED = Pattern.compile("\\bhttp 40[0-3]\\b");

    private CredentialProbes() {
    }

    /** One answer per provider that has credentials; none when none has. */
    public static List<ProbeResult> run(Config config, HttpClient http) throws InterruptedException {
        List<ProbeResult> results = new ArrayList<>();
        if (config.twilioConfigured()) {
            results.add(TwilioAccountCheck.probe(http, config.twilioApiBase, config.twilioAccountSid, config.twilioAuthToken));
        }
        if (config.sendgridConfigured()) {
            results.add(SendGridKeyCheck.probe(http, config.sendgridApiBase, config.sendgridApiKey));
        }
        if (config.zocdocApiConfigured && config.zocdocEnvironment != null) {
            results.add(zocdoc(config, http));
        }
        if (config.salesforce != null) {
            results.add(salesforce(config, http));
        }
        return results;
    }

    /** A token from the org's My Domain, and the API versions it offers (is ours among them?). */
    private static ProbeResult salesforce(Config config, HttpClient http) throws InterruptedException {
        SalesforceApi api = new SalesforceApi(http, config.salesforce);
        try {
            api.checkCredentials();
            List<String> versions = api.versions();
            String wanted = config.salesforce.apiVersion().substring(1);
            String offered = versions.isEmpty() ? "none listed" : versions.get(0) + " to " + versions.get(versions.size() - 1);
            if (!versions.contains(wanted)) {
                return ProbeResult.refused("salesforce", "salesforce: a token was obtained, but the org does not offer API "
                        + config.salesforce.apiVersion() + " (it offers " + offered + "): set SALESFORCE_API_VERSION to one of them");
            }
            return ProbeResult.ok("salesforce", "salesforce: a token was obtained from " + config.salesforce.loginUrl().getHost()
                    + "; the org offers API versions " + offered + ", " + config.salesforce.apiVersion() + " among them");
        } catch (SalesforceException failed) {
            return failed.kind() == SalesforceException.Kind.PERMANENT || failed.kind() == SalesforceException.Kind.GONE
                    ? ProbeResult.refused("salesforce", failed.getMessage())
                    : ProbeResult.unreachable("salesforce", failed.getMessage());
        }
    }

    private static ProbeResult zocdoc(Config config, HttpClient http) throws InterruptedException {
        try {
            new ZocdocApi(http, config.zocdocEnvironment, config.zocdocClientId, config.zocdocClientSecret,
                    Clock.systemUTC()).checkCredentials();
            return ProbeResult.ok("zocdoc", "zocdoc api: a token was obtained from " + config.zocdocEnvironment.tokenUrl().getHost());
        } catch (ZocdocApiException refused) {
            String message = "zocdoc api: no token (" + refused.getMessage() + "); check ZOCDOC_CLIENT_ID, ZOCDOC_CLIENT_SECRET"
                    + " and ZOCDOC_ENV (sandbox credentials work only with ZOCDOC_ENV=sandbox)";
            return ZOCDOC_REFUSED.matcher(refused.getMessage()).find() ? ProbeResult.refused("zocdoc", message)
                    : ProbeResult.unreachable("zocdoc", message);
        }
    }
}
