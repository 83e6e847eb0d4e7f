package clinicrelay.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatesTest {
    @TempDir
    Path dir;

    private static Map<Placeholder, String> values(boolean virtual) {
        Map<Placeholder, String> values = new EnumMap<>(Placeholder.class);
        values.put(Placeholder.CLINIC_NAME, "Elm Street Clinic");
        values.put(Placeholder.FIRST_NAME, "Ana");
        values.put(Placeholder.PROVIDER_NAME, "Dr. Jane Smith");
        values.put(Placeholder.DATE_TIME, "Tue, Dec 1 at 3:30 PM");
        values.put(Placeholder.LOCATION, "12 Elm Street");
        values.put(Placeholder.LOCATION_PHONE, "(617) 555-0100");
        if (virtual) {
            values.put(Placeholder.VIDEO_LINK, "https://video.example/room/abc");
        }
        return values;
    }

    @Test
    void builtInSmsTemplatesFillInAndEndWithTheStopLine() throws TemplateException {
        Templates templates = Templates.load(null);
        for (TemplateKind kind : TemplateKind.values()) {
            Templates.Message message = templates.render(kind, values(false));
            assertTrue(message.body().contains("Tue, Dec 1 at 3:30 PM"), kind + ": " + message.body());
            assertFalse(message.body().contains("{"), kind + ": " + message.body());
            assertFalse(message.body().contains("Video visit"), "no video line for an in-person visit");
            if (kind.isSms()) {
                assertTrue(message.body().endsWith(Templates.STOP_LINE), kind + ": " + message.body());
            } else {
                assertTrue(message.subject().startsWith("Your appointment at Elm Street Clinic on Tue, Dec 1 at 3:30 PM"),
                        message.subject());
            }
        }
        assertTrue(templates.render(TemplateKind.REMINDER_SMS, values(true)).body().contains("Video visit: https://video.example/room/abc"));
    }

    @Test
    void linesWithAMissingValueAreLeftOut() throws TemplateException {
        Map<Placeholder, String> values = values(false);
        values.remove(Placeholder.LOCATION_PHONE);
        values.remove(Placeholder.LOCATION);
        String body = Templates.load(null).render(TemplateKind.CONFIRMATION_SMS, values).body();
        assertFalse(body.contains("Location") || body.contains("Call"), body);
    }

    @Test
    void overridesComeFromTheTemplatesDirAndStillGetTheStopLine() throws Exception {
        Files.writeString(dir.resolve("reminder.sms.txt"), "{clinic_name}: see you {date_time}, {first_name}!\n");
        String body = Templates.load(dir).render(TemplateKind.REMINDER_SMS, values(false)).body();
        assertEquals("Elm Street Clinic: see you Tue, Dec 1 at 3:30 PM, Ana!\n" + Templates.STOP_LINE, body);
    }

    @Test
    void anUnknownPlaceholderFailsAtLoadNamingFileAndPlaceholder() throws Exception {
        Files.writeString(dir.resolve("confirmation.sms.txt"), "Hi {first_name}, about your {visit_reason}");
        TemplateException e = assertThrows(TemplateException.class, () -> Templates.load(dir));
        assertTrue(e.getMessage().contains("confirmation.sms.txt") && e.getMessage().contains("{visit_reason}"), e.getMessage());
        Files.writeString(dir.resolve("confirmation.sms.txt"), "Hi {first_name");
        assertThrows(TemplateException.class, () -> Templates.load(dir));
    }

    @Test
    void anEmailTemplateNeedsASubjectLine() throws Exception {
        Files.writeString(dir.resolve("confirmation.email.txt"), "Hi {first_name}");
        TemplateException e = assertThrows(TemplateException.class, () -> Templates.load(dir));
        assertTrue(e.getMessage().contains("Subject:"), e.getMessage());
    }
}
