package clinicrelay.template;

/**
 * The built-in wording, used for any template not overridden in TEMPLATES_DIR. Every
 * sentence starts with a capital; a line whose placeholder has no value (no clinic phone,
 * no video link) is left out whole.
 */
final class DefaultTemplates {
    private DefaultTemplates() {
    }

    static String text(TemplateKind kind) {
        switch (kind) {
            case CONFIRMATION_SMS:
                return String.join("\n",
                        "{clinic_name}: Hi {first_name}, your appointment with {provider_name} is confirmed for {date_time}.",
                        "Location: {location}",
                        "Video visit: {video_link}",
                        "Questions? Call {clinic_phone}.",
                        "Reply STOP to opt out.");
            case REMINDER_SMS:
                return String.join("\n",
                        "{clinic_name}: Reminder for {first_name}: your appointment with {provider_name} is on {date_time}.",
                        "Location: {location}",
                        "Video visit: {video_link}",
                        "Reply C to confirm. To reschedule, call {clinic_phone}.",
                        "Reply STOP to opt out.");
            case CANCELLATION_SMS:
                return String.join("\n",
                        "{clinic_name}: Hi {first_name}, your appointment with {provider_name} on {date_time} is cancelled.",
                        "To book again, call {clinic_phone}.",
                        "Reply STOP to opt out.");
            case RESCHEDULED_SMS:
                return String.join("\n",
                        "{clinic_name}: Hi {first_name}, your appointment with {provider_name} has moved to {date_time}.",
                        "Location: {location}",
                        "Video visit: {video_link}",
                        "Questions? Call {clinic_phone}.",
                        "Reply STOP to opt out.");
            case CONFIRMATION_EMAIL:
                return String.join("\n",
                        "Subject: Your appointment at {clinic_name} on {date_time}",
                        "Hi {first_name},",
                        "",
                        "Your appointment with {provider_name} is confirmed for {date_time}.",
                        "Location: {location}",
                        "Video visit: {video_link}",
                        "To change it, please call us at {clinic_phone}.",
                        "",
                        "{clinic_name}");
            case CANCELLATION_EMAIL:
                return String.join("\n",
                        "Subject: Your appointment at {clinic_name} on {date_time} is cancelled",
                        "Hi {first_name},",
                        "",
                        "Your appointment with {provider_name} on {date_time} has been cancelled.",
                        "To book a new time, please call us at {clinic_phone}.",
                        "",
                        "{clinic_name}");
            default:
                throw new IllegalArgumentException("no default template for " + kind);
        }
    }
}
