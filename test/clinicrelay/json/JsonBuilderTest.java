package clinicrelay.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBuilderTest {
    @Test
    void writesTheSameJsonAsTheTreeWriterAndSkipsNulls() throws JsonException {
        String built = new JsonBuilder().beginObject()
                .member("s", "quote\" é \n")
                .member("missing", (String) null)
                .member("n", 42)
                .member("b", Boolean.FALSE)
                .member("nb", (Boolean) null)
                .beginObject("inner").member("x", "y").endObject()
                .beginArray("list").element("a").element("b").endArray()
                .beginArray("empty").endArray()
                .endObject().toText();
        JsonObject tree = new JsonObject().put("s", "quote\" é \n").put("n", 42L).put("b", false)
                .put("inner", new JsonObject().put("x", "y"))
                .put("list", new JsonArray().add("a").add("b"))
                .put("empty", new JsonArray());
        assertEquals(Json.write(tree), built);
        assertEquals(built, Json.write(Json.parse(built.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void unclosedContainersAreABug() {
        assertThrows(IllegalStateException.class, () -> new JsonBuilder().beginObject().toText());
    }
}
