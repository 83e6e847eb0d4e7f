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
}
