package clinicrelay.crm;

import clinicrelay.config.SalesforceSettings;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One appointment's CRM record, made to match what is known now, and safe to run again:
 * its Task is found first (by the one it was given, else by the marker every Task's
 * Subject ends with: {@code [ref <appointment id>]}), and updated if it exists; otherwise
 * the Contact is found by e-mail (else mobile phone) or created, and the Task created on
 * it. A create whose answer was lost is therefore found, not made twice, by the next run.
 * Minimum necessary: the Contact gets first and last name, e-mail, mobile phone; the Task
 * the visit's date, time, provider, location and the appointment id. Never a visit reason,
 * a date of birth or insurance.
 */
public final class CrmSync {
    /** The Task status once the visit is over, cancelled or missed. */
    static final String DONE_STATUS = "Completed";
    /** Contact field lengths in Salesforce: a longer value is refused for good (STRING_TOO_LONG). */
    static final int FIRST_NAME_CHARS_MAX = 40;
    static final int LAST_NAME_CHARS_MAX = 80;
    /** An address longer than Salesforce's Email field is left out (the Contact is found by phone instead). */
    static final int EMAIL_CHARS_MAX = 80;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    /** Where the appointment stands, as the sync words it. */
    public enum Standing {
        BOOKED(""), CANCELLED("Cancelled: "), NO_SHOW("No-show: "), ARRIVED("");

        final String subjectPrefix;

        Standing(String subjectPrefix) {
            this.subjectPrefix = subjectPrefix;
        }
    }

    /** The patient as the CRM gets them: nothing beyond these four. */
    public record Patient(String firstName, String lastName, String email, String phoneE164) {
    }

    /** @param zone the clinic's zone (the visit's own offset when null) */
    public record Visit(String appointmentId, Standing standing, OffsetDateTime start, ZoneId zone, String providerName,
                        String locationName) {
    }

    /**
     * What the run found or made.
     *
     * @param contactsMatching how many Contacts the lookup matched (2 means several: the oldest was used)
     */
    public record Synced(String contactId, String taskId, boolean taskCreated, int contactsMatching) {
    }

    private final SalesforceApi api;
    private final SalesforceSettings settings;

    public CrmSync(SalesforceApi api, SalesforceSettings settings) {
        this.api = api;
        this.settings = settings;
    }

    /** @param knownTaskId the Task an earlier run made for this appointment, or null (then looked up by marker) */
    public Synced sync(Visit visit, Patient patient, String knownTaskId) throws SalesforceException, InterruptedException {
        if (knownTaskId != null && !knownTaskId.startsWith("outbox:")) { // a dry run's result names no Task
            try {
                api.update("Task", knownTaskId, taskFields(visit, null));
                return new Synced(null, knownTaskId, false, 0);
            } catch (SalesforceException gone) {
                if (gone.status() != 404 && !"MALFORMED_ID".equals(gone.errorCode())) {
                    throw gone;
                }
                // deleted in Salesforce since: look for another by its marker, or file it again
            }
        }
        String taskId = findTask(visit.appointmentId());
        if (taskId != null) {
            api.update("Task", taskId, taskFields(visit, null));
            return new Synced(null, taskId, false, 0);
        }
        boolean findable = patient != null && (patient.email() != null && patient.email().length() <= EMAIL_CHARS_MAX
                || patient.phoneE164() != null);
        if (!findable) {
            // without a key to find the Contact by, a retry after a lost answer would make a second one
            throw new SalesforceException(SalesforceException.Kind.PERMANENT, "salesforce: the patient has no e-mail or"
                    + " mobile phone to find their Contact by", "NO_CONTACT_KEY", null);
        }
        List<String> contacts = findContacts(patient);
        String contactId = contacts.isEmpty() ? api.create("Contact", contactFields(patient)) : contacts.get(0);
        String created = api.create("Task", taskFields(visit, contactId));
        return new Synced(contactId, created, true, contacts.size());
    }

    /** The Task whose Subject ends with the appointment's marker, or null; the oldest if (by a mistake) several do. */
    String findTask(String appointmentId) throws SalesforceException, InterruptedException {
        JsonArray found = api.query("SELECT Id, CreatedDate FROM Task WHERE Subject LIKE '%" + likeLiteral(marker(appointmentId))
                + "' ORDER BY CreatedDate ASC LIMIT 2");
        return found.size() == 0 ? null : ((JsonObject) found.get(0)).string("Id");
    }

    /** Contacts with the patient's e-mail, else mobile phone (E.164, and the national form for +1), oldest first, at most 2. */
    List<String> findContacts(Patient patient) throws SalesforceException, InterruptedException {
        JsonArray found = new JsonArray();
        if (patient.email() != null && patient.email().length() <= EMAIL_CHARS_MAX) {
            found = api.query("SELECT Id, CreatedDate FROM Contact WHERE Email = '" + literal(patient.email())
                    + "' ORDER BY CreatedDate ASC LIMIT 2");
        }
        if (found.size() == 0 && patient.phoneE164() != null) {
            List<String> forms = new ArrayList<>(List.of(patient.phoneE164()));
            if (patient.phoneE164().startsWith("+1") && patient.phoneE164().length() == 12) {
                forms.add(patient.phoneE164().substring(2));
            }
            StringBuilder in = new StringBuilder();
            for (String form : forms) {
                in.append(in.length() == 0 ? "" : ", ").append('\'').append(literal(form)).append('\'');
            }
            found = api.query("SELECT Id, CreatedDate FROM Contact WHERE MobilePhone IN (" + in
                    + ") ORDER BY CreatedDate ASC LIMIT 2");
        }
        List<String> ids = new ArrayList<>();
        for (Object record : found.values()) {
            ids.add(((JsonObject) record).string("Id"));
        }
        return ids;
    }

    private static JsonBuilder contactFields(Patient patient) {
        return new JsonBuilder().beginObject()
                .member("FirstName", cut(patient.firstName(), FIRST_NAME_CHARS_MAX))
                .member("LastName", patient.lastName() != null ? cut(patient.lastName(), LAST_NAME_CHARS_MAX) : "(unknown)")
                .member("Email", patient.email() != null && patient.email().length() <= EMAIL_CHARS_MAX ? patient.email() : null)
                .member("MobilePhone", patient.phoneE164())
                .endObject();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** @param whoId the Contact for a new Task; null for an update (the Task keeps its Contact) */
    private JsonBuilder taskFields(Visit visit, String whoId) {
        String provider = visit.providerName() != null ? visit.providerName() : "your provider";
        String subject = visit.standing().subjectPrefix + settings.taskSubject().replace("{provider_name}", provider)
                + marker(visit.appointmentId());
        OffsetDateTime local = visit.zone() == null ? visit.start() : visit.start().atZoneSameInstant(visit.zone()).toOffsetDateTime();
        String description = "Appointment " + visit.appointmentId() + "\nStarts: " + WHEN.format(local)
                + (visit.zone() == null ? " (UTC" + local.getOffset() + ")" : " (" + visit.zone().getId() + ")")
                + "\nProvider: " + provider + (visit.locationName() == null ? "" : "\nLocation: " + visit.locationName())
                + "\nStatus: " + visit.standing().name().toLowerCase(Locale.ROOT).replace('_', '-');
        JsonBuilder fields = new JsonBuilder().beginObject();
        if (whoId != null) {
            fields.member("WhoId", whoId);
        }
        return fields.member("Subject", subject)
                .member("ActivityDate", local.toLocalDate().toString())
                .member("Status", visit.standing() == Standing.BOOKED ? settings.taskStatus() : DONE_STATUS)
                .member("Description", description)
                .endObject();
    }

    /** What every Task's Subject ends with, so a Task is found again after a lost answer or a restart. */
    static String marker(String appointmentId) {
        return " [ref " + appointmentId + "]";
    }

    /** A SOQL string literal's inside: backslash and quote escaped (before URL-encoding). */
    static String literal(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'");
    }

    /** The same for a LIKE pattern, whose % and _ are wildcards. */
    static String likeLiteral(String value) {
        return literal(value).replace("%", "\\%").replace("_", "\\_");
    }
}
