package clinicrelay.twilio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Numbers already told, after a text the relay does not act on, that replies are not read
 * and whom to call: told once, so a chatty patient does not get the same answer to every
 * text. Kept as SHA-256 digests, not numbers; bounded, oldest first out; forgotten at a
 * restart (then told once more).
 */
final class AnsweredNumbers {
    /** Numbers remembered: far more than a clinic's patients reply with in weeks. */
    static final int NUMBERS_MAX = 10_000;

    private final RecentKeys digests = new RecentKeys(NUMBERS_MAX);

    /** True the first time a number is seen (and remembers it). */
    boolean firstTime(String phone) {
        return digests.add(digest(phone));
    }

    private static String digest(String phone) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(phone.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible); // every JDK has SHA-256
        }
    }
}
