package clinicrelay.event;

import java.util.Map;

/**
 * The country of an E.164 number, as an ISO 3166 code, for SMS_ALLOWED_COUNTRIES: from its
 * country calling code, and within the North American plan (+1) from its area code, since
 * +1 also reaches two dozen Caribbean countries and US territories, favourite targets of SMS
 * pumping. A number of a plan not listed here is "unknown" and goes only where every
 * country is allowed.
 */
public final class PhoneCountries {
    public static final String UNKNOWN = "??";

    /** +1 area codes outside the 50 states, with their country or territory. */
    private static final Map<String, String> NANP_ELSEWHERE = Map.ofEntries(
            Map.entry("242", "BS"), Map.entry("246", "BB"), Map.entry("264", "AI"), Map.entry("268", "AG"),
            Map.entry("284", "VG"), Map.entry("340", "VI"), Map.entry("345", "KY"), Map.entry("441", "BM"),
            Map.entry("473", "GD"), Map.entry("649", "TC"), Map.entry("658", "JM"), Map.entry("664", "MS"),
            Map.entry("670", "MP"), Map.entry("671", "GU"), Map.entry("684", "AS"), Map.entry("721", "SX"),
            Map.entry("758", "LC"), Map.entry("767", "DM"), Map.entry("784", "VC"), Map.entry("787", "PR"),
            Map.entry("809", "DO"), Map.entry("829", "DO"), Map.entry("849", "DO"), Map.entry("868", "TT"),
            Map.entry("869", "KN"), Map.entry("876", "JM"), Map.entry("939", "PR"));

    /** Canada's area codes (the rest of +1 is the United States). */
    private static final java.util.Set<String> CANADA = java.util.Set.of("204", "226", "236", "249", "250", "257", "263",
            "273", "289", "306", "343", "354", "365", "367", "368", "382", "387", "403", "416", "418", "428", "431", "437",
            "438", "450", "460", "468", "474", "506", "514", "519", "548", "579", "581", "584", "587", "600", "604", "613",
            "622", "639", "647", "672", "683", "705", "709", "742", "753", "778", "780", "782", "807", "819", "825", "851",
            "867", "873", "879", "902", "905", "942");

    /** Calling codes of other plans, longest first where one is a prefix of another. */
    private static final Map<String, String> CALLING_CODES = Map.ofEntries(
            Map.entry("44", "GB"), Map.entry("33", "FR"), Map.entry("49", "DE"), Map.entry("34", "ES"), Map.entry("39", "IT"),
            Map.entry("31", "NL"), Map.entry("32", "BE"), Map.entry("41", "CH"), Map.entry("43", "AT"), Map.entry("45", "DK"),
            Map.entry("46", "SE"), Map.entry("47", "NO"), Map.entry("48", "PL"), Map.entry("351", "PT"), Map.entry("353", "IE"),
            Map.entry("358", "FI"), Map.entry("30", "GR"), Map.entry("420", "CZ"), Map.entry("36", "HU"), Map.entry("40", "RO"),
            Map.entry("52", "MX"), Map.entry("55", "BR"), Map.entry("54", "AR"), Map.entry("56", "CL"), Map.entry("57", "CO"),
            Map.entry("51", "PE"), Map.entry("61", "AU"), Map.entry("64", "NZ"), Map.entry("81", "JP"), Map.entry("82", "KR"),
            Map.entry("86", "CN"), Map.entry("91", "IN"), Map.entry("972", "IL"), Map.entry("971", "AE"), Map.entry("27", "ZA"),
            Map.entry("90", "TR"), Map.entry("63", "PH"), Map.entry("65", "SG"), Map.entry("60", "MY"), Map.entry("66", "TH"),
            Map.entry("84", "VN"), Map.entry("62", "ID"), Map.entry("20", "EG"), Map.entry("234", "NG"), Map.entry("254", "KE"));

    private PhoneCountries() {
    }

    /** The ISO code of an E.164 number ({@code +16175550199} → {@code US}), or {@link #UNKNOWN}. */
    public static String of(String e164) {
        if (e164 == null || !e164.matches("\\+[0-9]{8,15}")) {
            return UNKNOWN;
        }
        String digits = e164.substring(1);
        if (digits.startsWith("1")) {
            if (digits.length() != 11) {
                return UNKNOWN;
            }
            String area = digits.substring(1, 4);
            return NANP_ELSEWHERE.getOrDefault(area, CANADA.contains(area) ? "CA" : "US");
        }
        for (int length = 3; length >= 2; length--) {
            String country = CALLING_CODES.get(digits.substring(0, length));
            if (country != null) {
                return country;
            }
        }
        return UNKNOWN;
    }
}
