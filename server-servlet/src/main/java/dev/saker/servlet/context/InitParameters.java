package dev.saker.servlet.context;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The init parameters of a servlet or filter registration, with the Servlet API's set-once rules. */
final class InitParameters {

    private final Map<String, String> values = new LinkedHashMap<>();

    /** @return false when the name is already set (the value is then left unchanged) */
    boolean set(String name, String value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("init parameter name and value must not be null");
        }
        return values.putIfAbsent(name, value) == null;
    }

    /** Sets all or none: @return the names already set (nothing is set when there are any) */
    Set<String> setAll(Map<String, String> params) {
        Set<String> clash = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("init parameter name and value must not be null");
            }
            if (values.containsKey(e.getKey())) {
                clash.add(e.getKey());
            }
        }
        if (clash.isEmpty()) {
            values.putAll(params);
        }
        return clash;
    }

    String get(String name) {
        return values.get(name);
    }

    Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    Enumeration<String> names() {
        return Collections.enumeration(values.keySet());
    }
}
