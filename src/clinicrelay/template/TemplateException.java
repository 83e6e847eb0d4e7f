package clinicrelay.template;

/** A template that cannot be used; raised at start-up, never at send time. */
public final class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }
}
