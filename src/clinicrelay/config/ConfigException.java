package clinicrelay.config;

/** A setting that is missing or unusable; the message names the variable (and the value, unless secret). */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
