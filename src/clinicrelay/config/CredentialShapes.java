package clinicrelay.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the messaging providers' credentials look like, and whether a provider is set up by
 * halves. A pasted value with a stray character, or a test key in production, otherwise
 * shows up only as every message failing for good. Messages name the variable and its
 * length, never a secret's value.
 */
public final class CredentialShapes {
    /** Twilio account SIDs: "AC" and 32 hexadecimal characters. */
    static final Pattern TWILIO_ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
    /** Twilio auth tokens: 32 hexadecimal characters. */
    static final Pattern TWILIO_AUTH_TOKEN = Pattern.compile("[0-9a-fA-F]{32}");
    /** Twilio Messaging Service SIDs: "MG" and 32 hexadecimal characters. */
    static final Pattern TWILIO_MESSAGING_SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");
    /** A sender: an E.164 number, or a 5- or 6-digit US/Canadian short code. */
    static final Pattern TWILIO_SENDER = Pattern.compile("\\+[1-9][0-9]{6,14}|[0-9]{5,6}");
    /** SendGrid API keys: "SG.", an id, ".", a secret (URL-safe base64 characters). */
    static final Pattern SENDGRID_API_KEY = Pattern.compile("SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}");
    /** A bare address (SendGrid's "from" takes the clinic name separately). */
    static final Pattern EMAIL_ADDRESS = Pattern.compile("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+");

    private CredentialShapes() {
    }

    /** Every problem with the Twilio and SendGrid settings; none when both are unset. */
    public static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        twilio(config, problems);
        sendgrid(config, problems);
        return problems;
    }

    private static void twilio(Config config, List<String> problems) {
        boolean any = config.twilioAccountSid != null || config.twilioAuthToken != null
                || config.twilioPhoneNumber != null || config.twilioMessagingServiceSid != null;
        if (!any) {
            return;
        }
        if (config.twilioAccountSid == null || config.twilioAuthToken == null) {
            problems.add("Twilio is half set up: " + (config.twilioAccountSid == null ? "TWILIO_ACCOUNT_SID" : "TWILIO_AUTH_TOKEN")
                    + " is missing, so no text would be sent (set both, or remove the other TWILIO_ settings)");
        }
        if (config.twilioAccountSid != null && !TWILIO_ACCOUNT_SID.matcher(config.twilioAccountSid).matches()) {
            problems.add("TWILIO_ACCOUNT_SID is not an account SID (AC followed by 32 hexadecimal characters;"
                    + " the Twilio Console shows it under Account Info)");
        }
        if (config.twilioAuthToken != null && !TWILIO_AUTH_TOKEN.matcher(config.twilioAuthToken).matches()) {
            problems.add("TWILIO_AUTH_TOKEN has " + config.twilioAuthToken.length() + " characters where Twilio's are"
                    + " 32 hexadecimal ones (copy it again from Account Info in the Twilio Console)");
        }
        if (config.twilioMessagingServiceSid != null
                && !TWILIO_MESSAGING_SERVICE_SID.matcher(config.twilioMessagingServiceSid).matches()) {
            problems.add("TWILIO_MESSAGING_SERVICE_SID is not a Messaging Service SID (MG followed by 32 hexadecimal characters)");
        }
        if (config.twilioPhoneNumber != null && !TWILIO_SENDER.matcher(config.twilioPhoneNumber).matches()) {
            problems.add("TWILIO_PHONE_NUMBER must be written +<country code><number> with no spaces (E.164, e.g."
                    + " +15551234567) or be a 5- or 6-digit short code");
        }
        if (config.twilioAccountSid != null && config.twilioAuthToken != null && !config.dryRun && config.publicBaseUrl == null) {
            problems.add("PUBLIC_BASE_URL is needed with Twilio: STOP replies and delivery receipts are verified against"
                    + " the address Twilio posts to, so without it every opt-out would be refused (set it to the public"
                    + " https address of this relay, e.g. https://relay.example-clinic.com)");
        }
    }

    private static void sendgrid(Config config, List<String> problems) {
        if ((config.sendgridApiKey == null) != (config.sendgridFromEmail == null)) {
            problems.add("SendGrid is half set up: " + (config.sendgridApiKey == null ? "SENDGRID_API_KEY" : "SENDGRID_FROM_EMAIL")
                    + " is missing, so no e-mail would be sent (set both, or neither)");
        }
        if (config.sendgridApiKey != null && !SENDGRID_API_KEY.matcher(config.sendgridApiKey).matches()) {
            problems.add("SENDGRID_API_KEY (" + config.sendgridApiKey.length() + " characters) is not shaped like a SendGrid"
                    + " API key (SG.<id>.<secret>, 69 characters; create one under Settings → API Keys)");
        }
        if (config.sendgridFromEmail != null && !EMAIL_ADDRESS.matcher(config.sendgridFromEmail).matches()) {
            problems.add("SENDGRID_FROM_EMAIL=" + config.sendgridFromEmail + " is not an e-mail address (a verified sender"
                    + " such as appointments@example-clinic.com; the clinic's name is added from CLINIC_NAME)");
        }
    }
}
