package clinicrelay.config;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The Salesforce CRM sync's settings: the org's My Domain URL (where the client-credentials
 * token is asked for), the External Client App's id and secret, the REST API version, and
 * the Task's status and subject for orgs whose picklists or wording differ.
 *
 * @param taskSubject a template: {@code {provider_name}} is the one placeholder
 */
public record SalesforceSettings(URI loginUrl, String clientId, String clientSecret, String apiVersion, String taskStatus,
                                 String taskSubject) {
    /** A current version (Winter '25); the org lists what it offers at /services/data/. */
    public static final String DEFAULT_API_VERSION = "v62.0";
    public static final String DEFAULT_TASK_STATUS = "Not Started";
    public static final String DEFAULT_TASK_SUBJECT = "Appointment with {provider_name}";
    /** What the Salesforce REST API names its versions: v62.0. */
    static final Pattern API_VERSION = Pattern.compile("v[1-9][0-9]\\.0");
    /** Task.Subject is a string of at most 255; the template leaves room for a name and the marker. */
    static final int TASK_SUBJECT_CHARS_MAX = 120;

    /** The token endpoint on the org's My Domain host. */
    public URI tokenUrl() {
        return loginUrl.resolve("/services/oauth2/token");
    }

    /** Salesforce's settings when all three credentials are set; a half-set trio is a problem naming what is missing. */
    static SalesforceSettings read(Config config) {
        URI login = config.parsed("SALESFORCE_LOGIN_URL", null, value -> Urls.provider("SALESFORCE_LOGIN_URL", value));
        String id = config.text("SALESFORCE_CLIENT_ID", null);
        String secret = config.secret("SALESFORCE_CLIENT_SECRET");
        String version = config.text("SALESFORCE_API_VERSION", SalesforceSettings.DEFAULT_API_VERSION);
        String status = config.text("SALESFORCE_TASK_STATUS", SalesforceSettings.DEFAULT_TASK_STATUS);
        String subject = config.text("SALESFORCE_TASK_SUBJECT", SalesforceSettings.DEFAULT_TASK_SUBJECT);
        if (!SalesforceSettings.API_VERSION.matcher(version).matches()) {
            config.problem("SALESFORCE_API_VERSION=" + version + " must be written like v62.0");
        }
        if (subject.length() > SalesforceSettings.TASK_SUBJECT_CHARS_MAX) {
            config.problem("SALESFORCE_TASK_SUBJECT is longer than " + SalesforceSettings.TASK_SUBJECT_CHARS_MAX + " characters");
        }
        boolean any = config.isSet("SALESFORCE_LOGIN_URL") || id != null || secret != null;
        if (any && (login == null || id == null || secret == null)) {
            config.problem("Salesforce is half set up: " + (login == null ? "SALESFORCE_LOGIN_URL (the org's My Domain URL)"
                    : id == null ? "SALESFORCE_CLIENT_ID" : "SALESFORCE_CLIENT_SECRET") + " is missing, so no CRM record"
                    + " would be written (set all three, or none)");
            return null;
        }
        return any ? new SalesforceSettings(login, id, secret, version, status, subject) : null;
    }

}
