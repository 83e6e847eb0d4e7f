package clinicrelay.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void hundredThousandNestedBracketsFailCleanly() {
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than " + Json.DEPTH_MAX), e.getMessage());
        byte[] deepObjects = "{\"a\":".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        assertThrows(JsonException.class, () -> Json.parse(deepObjects));
    }

    @Test
    void depthLimitIsExact() throws JsonException {
        String atLimit = "[".repeat(Json.DEPTH_MAX) + "]".repeat(Json.DEPTH_MAX);
        Json.parse(atLimit);
        String pastLimit = "[".repeat(Json.DEPTH_MAX + 1) + "]".repeat(Json.DEPTH_MAX + 1);
        assertThrows(JsonException.class, () -> Json.parse(pastLimit));
    }

    @Test
    void valueCountLimitIsExact() throws JsonException {
        String atLimit = "[" + "0,".repeat(Json.VALUES_MAX - 2) + "0]";
        Json.parse(atLimit);
        String pastLimit = "[" + "0,".repeat(Json.VALUES_MAX - 1) + "0]";
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(pastLimit));
        assertTrue(e.getMessage().contains("more than " + Json.VALUES_MAX + " values"), e.getMessage());
    }

    @Test
    void documentSizeLimitIsExact() throws JsonException {
        byte[] atLimit = new byte[Json.DOCUMENT_BYTES_MAX];
        java.util.Arrays.fill(atLimit, (byte) ' ');
        atLimit[0] = '0';
        Json.parse(atLimit);
        byte[] pastLimit = new byte[Json.DOCUMENT_BYTES_MAX + 1];
        java.util.Arrays.fill(pastLimit, (byte) ' ');
        pastLimit[0] = '0';
        assertThrows(JsonException.class, () -> Json.parse(pastLimit));
    }

    @Test
    void errorMessagesNeverQuoteTheInput() {
        JsonException e = assertThrows(JsonException.class,
                () -> Json.parse("{\"patient\":\"Zelda Quuxworth\" oops}"));
        assertFalse(e.getMessage().contains("Zelda"), e.getMessage());
        assertFalse(e.getMessage().contains("oops"), e.getMessage());
    }

    @Test
    void typedAccessorsReturnNullForMissingOrOtherTypes() throws JsonException {
        JsonObject o = Json.parseObject("{\"s\":\"x\",\"n\":12,\"b\":true,\"z\":null,\"o\":{},\"a\":[]}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("x", o.string("s"));
        assertNull(o.string("n"));
        assertEquals(12L, o.number("n").toLongOrNull());
        assertEquals(Boolean.TRUE, o.bool("b"));
        assertEquals(JsonNull.INSTANCE, o.get("z"));
        assertNull(o.string("z"));
        assertEquals(0, o.object("o").size());
        assertEquals(0, o.array("a").size());
        assertNull(o.object("missing"));
    }

    @Test
    void writerEscapesAndRoundTrips() throws JsonException {
        String tricky = "quote\" backslash\\ newline\n tab\t nul\u0000 del\u007f ls\u2028 emoji\uD83D\uDE00 é";
        JsonObject o = new JsonObject().put("k", tricky).put("n", 42L).put("t", true).put("z", null);
        String written = Json.write(o);
        assertFalse(written.contains("\n"));
        assertTrue(written.contains("\\u0000"));
        assertTrue(written.contains("\\u2028"));
        JsonObject back = Json.parseObject(written.getBytes(StandardCharsets.UTF_8));
        assertEquals(tricky, back.string("k"));
        assertEquals(written, Json.write(back));
    }

    @Test
    void loneSurrogatesInJavaStringsAreWrittenAsEscapes() {
        String written = Json.write(new JsonArray().add("a\uD800b"));
        assertEquals("[\"a\\ud800b\"]", written);
    }

    @Test
    void numbersKeepTheirExactText() throws JsonException {
        JsonArray a = (JsonArray) Json.parse("[1e400,-0.000001,123456789012345678901234567890]");
        assertEquals("1e400", ((JsonNumber) a.get(0)).text());
        assertEquals("[1e400,-0.000001,123456789012345678901234567890]", Json.write(a));
        assertNull(((JsonNumber) a.get(2)).toLongOrNull());
    }

    @Test
    void duplicateMemberKeepsTheLastValue() throws JsonException {
        JsonObject o = Json.parseObject("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8));
        assertEquals("2", o.number("a").text());
    }

    @Test
    void onlyWellFormedUnicodeIsAccepted() {
        byte[][] invalid = {
            {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},   // a surrogate encoded in UTF-8
            {'"', (byte) 0xC0, (byte) 0xAF, '"'},                // overlong 2-byte form
            {'"', (byte) 0xC1, (byte) 0xBF, '"'},                // overlong 2-byte form
            {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'},   // overlong 3-byte form
            {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
            {'"', (byte) 0x80, '"'},                             // lone continuation byte
            {'"', (byte) 0xE2, (byte) 0x82, '"'},                // truncated sequence
        };
        for (byte[] bytes : invalid) {
            assertThrows(JsonException.class, () -> Json.parse(bytes), java.util.Arrays.toString(bytes));
        }
        for (String escapes : new String[] {"\"\\uDC00\"", "\"\\uD800\"", "\"\\uD800\\u0041\"", "\"\\uDC00\\uD800\""}) {
            assertThrows(JsonException.class, () -> Json.parse(escapes), escapes);
        }
    }

    @Test
    void wellFormedUnicodeIsDecoded() throws JsonException {
        assertEquals("é€😀", Json.parse("\"é€😀\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals("😀", Json.parse("\"\\uD83D\\uDE00\""));
    }

    @Test
    void byteOrderMarkIsRejected() {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThrows(JsonException.class, () -> Json.parse(withBom));
    }
}
