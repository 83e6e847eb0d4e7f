package clinicrelay.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One parsed template: plain text with {@code {placeholder}} tokens. A line holding a
 * placeholder that has no value for this appointment is left out whole, which is how
 * optional parts ("Video visit: {video_link}") appear only when they apply. Every
 * placeholder is checked when the template is parsed, so a typo fails at start-up.
 */
final class Template {
    /** Longest template text accepted; an SMS of several segments is a few hundred characters. */
    static final int TEMPLATE_CHARS_MAX = 4000;

    private final String source;
    private final List<List<Object>> lines;

    private Template(String source, List<List<Object>> lines) {
        this.source = source;
        this.lines = lines;
    }

    /** @throws TemplateException naming the template and the unknown placeholder */
    public static Template parse(String name, String text) throws TemplateException {
        if (text.length() > TEMPLATE_CHARS_MAX) {
            throw new TemplateException("template " + name + " is longer than " + TEMPLATE_CHARS_MAX + " characters");
        }
        List<List<Object>> lines = new ArrayList<>();
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            lines.add(parseLine(name, line));
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return new Template(name, lines);
    }

    /** A line as literal strings and Placeholders, in order. */
    private static List<Object> parseLine(String name, String line) throws TemplateException {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (at < line.length()) {
            int open = line.indexOf('{', at);
            if (open < 0) {
                parts.add(line.substring(at));
                break;
            }
            int close = line.indexOf('}', open);
            if (close < 0) {
                throw new TemplateException("template " + name + ": '{' without '}'");
            }
            Placeholder placeholder = Placeholder.fromName(line.substring(open + 1, close));
            if (placeholder == null) {
                throw new TemplateException("template " + name + ": unknown placeholder " + line.substring(open, close + 1)
                        + " (known: " + known() + ")");
            }
            if (open > at) {
                parts.add(line.substring(at, open));
            }
            parts.add(placeholder);
            at = close + 1;
        }
        return parts;
    }

    private static String known() {
        StringBuilder names = new StringBuilder();
        for (Placeholder placeholder : Placeholder.values()) {
            names.append(names.length() == 0 ? "" : " ").append(placeholder.token());
        }
        return names.toString();
    }

    /** The text with values filled in; lines whose placeholders lack a value are dropped. */
    public String render(Map<Placeholder, String> values) {
        StringBuilder out = new StringBuilder();
        for (List<Object> line : lines) {
            StringBuilder rendered = new StringBuilder();
            boolean complete = true;
            for (Object part : line) {
                if (part instanceof Placeholder placeholder) {
                    String value = values.get(placeholder);
                    if (value == null || value.isBlank()) {
                        complete = false;
                        break;
                    }
                    rendered.append(value);
                } else {
                    rendered.append(part);
                }
            }
            if (complete) {
                out.append(rendered).append('\n');
            }
        }
        return out.toString().stripTrailing();
    }

    String source() {
        return source;
    }
}
