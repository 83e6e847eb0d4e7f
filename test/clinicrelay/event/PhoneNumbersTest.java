package clinicrelay.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {
    @Test
    void usNumbersBecomeE164() {
        assertEquals("+16175550199", PhoneNumbers.toE164("6175550199"));
        assertEquals("+16175550199", PhoneNumbers.toE164("(617) 555-0199"));
        assertEquals("+16175550199", PhoneNumbers.toE164("617.555.0199"));
        assertEquals("+16175550199", PhoneNumbers.toE164("1-617-555-0199"));
        assertEquals("+16175550199", PhoneNumbers.toE164("+1 617 555 0199"));
    }

    @Test
    void internationalNumbersWithPlusAreKept() {
        assertEquals("+442071838750", PhoneNumbers.toE164("+44 20 7183 8750"));
    }

    @Test
    void unusableNumbersAreNull() {
        assertNull(PhoneNumbers.toE164(null));
        assertNull(PhoneNumbers.toE164("555-0199"));
        assertNull(PhoneNumbers.toE164("0175550199"), "area codes never start with 0");
        assertNull(PhoneNumbers.toE164("617555019x"));
        assertNull(PhoneNumbers.toE164("+0123456789"));
        assertNull(PhoneNumbers.toE164("+1234567890123456"), "more than 15 digits");
        assertNull(PhoneNumbers.toE164("617+5550199"));
    }

    @Test
    void maskingKeepsPrefixAndLastFour() {
        assertEquals("+1••••••0199", Redaction.maskPhone("+16175550199"));
        assertNull(Redaction.maskPhone(null));
    }
}
