package dev.saker.server.http;

import java.util.List;
import java.util.Set;

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

    /** @return the distinct names, in first-seen order, as sent */
    Set<String> names();
}
