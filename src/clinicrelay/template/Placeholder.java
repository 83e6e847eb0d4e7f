package clinicrelay.template;

import java.util.Locale;

/**
 * The only values a message may contain: the minimum necessary to tell a patient where and
 * when to be. There is deliberately no placeholder for visit reason, date of birth,
 * insurance or last name, so no template can disclose them.
 */
public enum Placeholder {
    CLINIC_NAME,
    FIRST_NAME,
    PROVIDER_NAME,
    /** Local date and time, e.g. "Tue, Dec 1 at 3:30 PM". */
    DATE_TIME,
    LOCATION,
    LOCATION_PHONE,
    /** CLINIC_PHONE, else the location's phone: the number a patient calls. */
    CLINIC_PHONE,
    /** Only for virtual visits. */
    VIDEO_LINK;

    /** The name as written in templates: {@code {first_name}}. */
    public String token() {
        return "{" + name().toLowerCase(Locale.ROOT) + "}";
    }

    /** The placeholder for a name written in a template, or null when there is none. */
    static Placeholder fromName(String name) {
        for (Placeholder placeholder : values()) {
            if (placeholder.name().toLowerCase(Locale.ROOT).equals(name)) {
                return placeholder;
            }
        }
        return null;
    }
}
