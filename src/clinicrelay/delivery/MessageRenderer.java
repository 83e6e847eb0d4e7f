package clinicrelay.delivery;

import clinicrelay.planning.Appointment;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.template.Placeholder;
import clinicrelay.template.Templates;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Fills a template from an appointment: the minimum necessary (clinic, first name,
 * provider, local date and time, location, location phone, video link), with friendly
 * fallbacks so a message never shows a raw id or an empty greeting.
 */
final class MessageRenderer {
    /** "Tue, Dec 1 at 3:30 PM". */
    static final DateTimeFormatter FRIENDLY = DateTimeFormatter.ofPattern("EEE, MMM d 'at' h:mm a", Locale.US);
    static final String NO_FIRST_NAME = "there";
    static final String NO_PROVIDER_NAME = "your provider";

    private final Templates templates;
    private final String clinicName;
    private final ZoneId clinicZone;

    MessageRenderer(Templates templates, String clinicName, ZoneId clinicZone) {
        this.templates = templates;
        this.clinicName = clinicName;
        this.clinicZone = clinicZone;
    }

    Templates.Message render(DeliveryKind kind, Appointment appointment, AppointmentDetails details) {
        Map<Placeholder, String> values = new EnumMap<>(Placeholder.class);
        values.put(Placeholder.CLINIC_NAME, clinicName);
        String firstName = details.patient() == null ? null : details.patient().firstName();
        values.put(Placeholder.FIRST_NAME, firstName == null || firstName.isBlank() ? NO_FIRST_NAME : firstName);
        String provider = details.providerName() != null ? details.providerName() : appointment.providerName();
        values.put(Placeholder.PROVIDER_NAME, provider == null || provider.isBlank() ? NO_PROVIDER_NAME : provider);
        if (appointment.start() != null) {
            values.put(Placeholder.DATE_TIME, FRIENDLY.format(appointment.start().atZoneSameInstant(appointment.zone(clinicZone))));
        }
        values.put(Placeholder.LOCATION, details.locationName());
        values.put(Placeholder.LOCATION_PHONE, details.locationPhone());
        values.put(Placeholder.VIDEO_LINK, details.videoLink());
        return templates.render(kind.template(), values);
    }
}
