package clinicrelay.template;

import java.util.Locale;

/** The messages clinic-relay sends, each a template file (overridable in TEMPLATES_DIR). */
public enum TemplateKind {
    CONFIRMATION_SMS(true),
    REMINDER_SMS(true),
    CANCELLATION_SMS(true),
    RESCHEDULED_SMS(true),
    /** First line {@code Subject: ...}, then the plain-text body. */
    CONFIRMATION_EMAIL(false),
    CANCELLATION_EMAIL(false);

    private final boolean sms;

    TemplateKind(boolean sms) {
        this.sms = sms;
    }

    public boolean isSms() {
        return sms;
    }

    /** {@code confirmation.sms.txt}, {@code confirmation.email.txt}, ... */
    public String fileName() {
        String name = name().toLowerCase(Locale.ROOT);
        int split = name.lastIndexOf('_');
        return name.substring(0, split) + "." + name.substring(split + 1) + ".txt";
    }
}
