package clinicrelay.twilio;

import java.util.LinkedHashMap;
import java.util.Map;

/** A set of recent keys holding at most {@code max}: the oldest added goes first. Thread-safe. */
final class RecentKeys {
    private final Map<String, Boolean> keys;

    RecentKeys(int max) {
        this.keys = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > max;
            }
        };
    }

    synchronized boolean contains(String key) {
        return keys.containsKey(key);
    }

    /** Adds the key; true when it was not there. */
    synchronized boolean add(String key) {
        return keys.put(key, Boolean.TRUE) == null;
    }
}
