package clinicrelay.config;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * SMS_ALLOWED_COUNTRIES: the countries (ISO 3166 codes) texts may go to; {@code any} for
 * all. Default {@code US,CA}: an attacker holding the webhook key could otherwise book
 * appointments for premium-rate numbers abroad and have the clinic pay to text them (SMS
 * pumping).
 */
public final class SmsCountries {
    public static final String DEFAULT = "US,CA";

    private final Set<String> allowed;

    private SmsCountries(Set<String> allowed) {
        this.allowed = allowed;
    }

    /** @throws IllegalArgumentException naming the entry that is not a two-letter code */
    public static SmsCountries parse(String value) {
        if (value.strip().equalsIgnoreCase("any")) {
            return new SmsCountries(null);
        }
        Set<String> codes = new TreeSet<>();
        for (String entry : value.split(",")) {
            String code = entry.strip().toUpperCase(Locale.ROOT);
            if (!code.matches("[A-Z]{2}")) {
                throw new IllegalArgumentException("SMS_ALLOWED_COUNTRIES entry '" + entry.strip()
                        + "' is not a two-letter country code (or say any)");
            }
            codes.add(code);
        }
        return new SmsCountries(Set.copyOf(codes));
    }

    public boolean allows(String isoCode) {
        return allowed == null || allowed.contains(isoCode);
    }
}
