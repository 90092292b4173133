package dev.saker.server.http;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A read view of header fields: names compare case-insensitively, a name may repeat, order is kept.
 */
public interface HttpHeaders {

    /** @return the number of fields (a repeated name counts once per line) */
    int size();

    /** @return the name of field {@code index}, as sent */
    String name(int index);

    /** @return the value of field {@code index}, without surrounding whitespace */
    String value(int index);

    /** @return the first value of {@code name}, or {@code null} */
    String get(String name);

    /** @return every value of {@code name} in order; empty if absent */
    List<String> getAll(String name);

    /** @return whether a field named {@code name} is present */
    default boolean contains(String name) {
        return get(name) != null;
    }

    /** @return the distinct names (compared case-insensitively), in first-seen order, as sent */
    default Set<String> names() {
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0, n = size(); i < n; i++) {
            String name = name(i);
            if (seen.add(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
