package clinicrelay.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A JSON array: an ordered list of values (String, JsonNumber, Boolean, JsonNull, JsonObject, JsonArray). */
public final class JsonArray {
    private final List<Object> values = new ArrayList<>();

    public JsonArray add(Object value) {
        values.add(Json.checkValue(value));
        return this;
    }

    public int size() {
        return values.size();
    }

    public Object get(int index) {
        return values.get(index);
    }

    /** An unmodifiable view, for iteration. */
    public List<Object> values() {
        return Collections.unmodifiableList(values);
    }

    @Override
    public String toString() {
        return Json.write(this);
    }
}
