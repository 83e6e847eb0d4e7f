package clinicrelay.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object with member order preserved and typed, null-returning accessors.
 *
 * <p>Accessors return null both when a member is missing and when it has another type:
 * normalisers treat both the same way (the field is not usable), which keeps their
 * branching short. A duplicated member name keeps the last value, as JavaScript does.
 */
public final class JsonObject {
    private final Map<String, Object> members = new LinkedHashMap<>();

    /** Sets a member; a Java null value is stored as JSON null. */
    public JsonObject put(String name, Object value) {
        members.put(name, Json.checkValue(value));
        return this;
    }

    /** Sets a member only when the value is not null, to keep written records small. */
    public JsonObject putIfNotNull(String name, Object value) {
        if (value != null) {
            put(name, value);
        }
        return this;
    }

    public boolean has(String name) {
        return members.containsKey(name);
    }

    public Object get(String name) {
        return members.get(name);
    }

    public String string(String name) {
        return members.get(name) instanceof String s ? s : null;
    }

    public JsonObject object(String name) {
        return members.get(name) instanceof JsonObject o ? o : null;
    }

    public JsonArray array(String name) {
        return members.get(name) instanceof JsonArray a ? a : null;
    }

    public Boolean bool(String name) {
        return members.get(name) instanceof Boolean b ? b : null;
    }

    public JsonNumber number(String name) {
        return members.get(name) instanceof JsonNumber n ? n : null;
    }

    public int size() {
        return members.size();
    }

    /** An unmodifiable view, for iteration in member order. */
    public Map<String, Object> members() {
        return Collections.unmodifiableMap(members);
    }

    @Override
    public String toString() {
        return Json.write(this);
    }
}
