package clinicrelay.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * All message templates, loaded and checked once at start-up: the built-in ones, each
 * replaced by {@code TEMPLATES_DIR/<kind>.txt} when that file exists. Every SMS ends with
 * {@link #STOP_LINE}, added if a template leaves it out, because carriers and the TCPA
 * require the opt-out instruction.
 */
public final class Templates {
    public static final String STOP_LINE = "Reply STOP to opt out.";
    static final String SUBJECT_PREFIX = "Subject:";

    /** A rendered message: subject (email only, else null) and body. */
    public record Message(String subject, String body) {
    }

    private final Map<TemplateKind, Template> bodies;
    private final Map<TemplateKind, Template> subjects;
    /** CLINIC_PHONE, or null: {clinic_phone} then falls back to the location's phone. */
    private final String clinicPhone;

    private Templates() {
        this(new EnumMap<>(TemplateKind.class), new EnumMap<>(TemplateKind.class), null);
    }

    private Templates(Map<TemplateKind, Template> bodies, Map<TemplateKind, Template> subjects, String clinicPhone) {
        this.bodies = bodies;
        this.subjects = subjects;
        this.clinicPhone = clinicPhone;
    }

    /** These templates, with {@code {clinic_phone}} filled from CLINIC_PHONE (null: the location's phone). */
    public Templates withClinicPhone(String phone) {
        return new Templates(bodies, subjects, phone);
    }

    /**
     * @param overrides TEMPLATES_DIR, or null for the built-in wording only
     * @throws TemplateException naming the file and what is wrong with it
     */
    public static Templates load(Path overrides) throws TemplateException {
        Templates templates = new Templates();
        for (TemplateKind kind : TemplateKind.values()) {
            String name = kind.fileName();
            String text = DefaultTemplates.text(kind);
            if (overrides != null) {
                Path file = overrides.resolve(name);
                if (Files.isRegularFile(file)) {
                    name = file.toString();
                    text = read(file);
                }
            }
            templates.add(kind, name, text);
        }
        return templates;
    }

    private void add(TemplateKind kind, String name, String text) throws TemplateException {
        if (kind.isSms()) {
            bodies.put(kind, Template.parse(name, text));
            return;
        }
        String[] subjectAndBody = text.split("\n", 2);
        if (!subjectAndBody[0].startsWith(SUBJECT_PREFIX) || subjectAndBody.length < 2) {
            throw new TemplateException("template " + name + ": the first line must be '" + SUBJECT_PREFIX + " ...'");
        }
        subjects.put(kind, Template.parse(name, subjectAndBody[0].substring(SUBJECT_PREFIX.length()).strip()));
        bodies.put(kind, Template.parse(name, subjectAndBody[1]));
    }

    private static String read(Path file) throws TemplateException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateException("template " + file + " cannot be read: " + e.getMessage());
        }
    }

    public Message render(TemplateKind kind, Map<Placeholder, String> given) {
        Map<Placeholder, String> values = new EnumMap<>(Placeholder.class);
        values.putAll(given);
        if (values.get(Placeholder.CLINIC_PHONE) == null) {
            values.put(Placeholder.CLINIC_PHONE, clinicPhone != null ? clinicPhone : values.get(Placeholder.LOCATION_PHONE));
        }
        String body = bodies.get(kind).render(values);
        if (kind.isSms() && !body.endsWith(STOP_LINE)) {
            body = body + "\n" + STOP_LINE;
        }
        Template subject = subjects.get(kind);
        return new Message(subject == null ? null : subject.render(values), body);
    }
}
