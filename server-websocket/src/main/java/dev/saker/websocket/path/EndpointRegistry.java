package dev.saker.websocket.path;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints added to a container, by path: exact paths in a map, templates in precedence order
 * (3.1.1: an exact match wins, then the template whose first differing segment is literal).
 * Registration is rare and copies; lookups read without locking.
 *
 * @param <E> what is registered per path
 */
public final class EndpointRegistry<E> {

    /** One match: what was registered and the path variables' values. */
    public record Match<E>(E endpoint, Map<String, String> pathParameters) {
    }

    private volatile Map<String, E> exact = Map.of();
    private volatile List<Entry<E>> templates = List.of();

    private record Entry<E>(UriTemplate template, E endpoint) {
    }

    /** @throws IllegalArgumentException when an equivalent path is registered already */
    public synchronized void add(UriTemplate template, E endpoint) {
        if (template.exact()) {
            if (exact.containsKey(template.path())) {
                throw new IllegalArgumentException("an endpoint is registered at " + template.path() + " already");
            }
            Map<String, E> copy = new HashMap<>(exact);
            copy.put(template.path(), endpoint);
            exact = Map.copyOf(copy);
            return;
        }
        for (Entry<E> e : templates) {
            if (e.template().equivalent(template)) {
                throw new IllegalArgumentException("path " + template.path() + " matches the same paths as "
                        + e.template().path() + ", registered already");
            }
        }
        List<Entry<E>> sorted = new ArrayList<>(templates);
        sorted.add(new Entry<>(template, endpoint));
        sorted.sort((a, b) -> a.template().compareTo(b.template()));
        templates = List.copyOf(sorted);
    }

    /** @return the endpoint for the decoded context-relative {@code path}, or {@code null} */
    public Match<E> match(String path) {
        E e = exact.get(path);
        if (e != null) {
            return new Match<>(e, Map.of());
        }
        if (templates.isEmpty()) {
            return null;
        }
        String[] segments = UriTemplate.segments(path);
        for (Entry<E> entry : templates) {
            Map<String, String> values = entry.template().match(segments);
            if (values != null) {
                return new Match<>(entry.endpoint(), values);
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && templates.isEmpty();
    }
}
