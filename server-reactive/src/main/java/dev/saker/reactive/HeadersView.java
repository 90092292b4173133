package dev.saker.reactive;

import dev.saker.server.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.util.MultiValueMap;

/**
 * The reading half of Spring's {@link MultiValueMap} over the engine's header fields, without
 * copying them: lookups go to the fields themselves (case-insensitive names, order kept). The
 * request and response views add what each allows to change; removing through {@link #keySet()} or
 * {@link #entrySet()} goes to {@link #remove(Object)}, so it changes the fields or is refused.
 *
 * @param <H> the engine's fields
 */
abstract class HeadersView<H extends HttpHeaders> extends AbstractMap<String, List<String>>
        implements MultiValueMap<String, String> {

    final H headers;

    HeadersView(H headers) {
        this.headers = headers;
    }

    @Override
    public String getFirst(String key) {
        return headers.get(key);
    }

    @Override
    public List<String> get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        List<String> values = headers.getAll(name);
        return values.isEmpty() ? null : values;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && headers.contains(name);
    }

    @Override
    public int size() {
        return headers.size() == 0 ? 0 : headers.names().size();
    }

    @Override
    public boolean isEmpty() {
        return headers.size() == 0;
    }

    /**
     * @return the distinct field names in order, over a snapshot (removing the current one while
     *         iterating is safe); {@code remove()} goes to {@link #remove(Object)}
     */
    private Iterator<String> nameIterator() {
        Iterator<String> names = headers.names().iterator();
        return new Iterator<>() {
            private String current;

            @Override
            public boolean hasNext() {
                return names.hasNext();
            }

            @Override
            public String next() {
                current = names.next();
                return current;
            }

            @Override
            public void remove() {
                if (current == null) {
                    throw new IllegalStateException("next() first");
                }
                HeadersView.this.remove(current);
                current = null;
            }
        };
    }

    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return nameIterator();
            }

            @Override
            public int size() {
                return HeadersView.this.size();
            }

            @Override
            public boolean contains(Object o) {
                return containsKey(o);
            }

            @Override
            public boolean remove(Object o) {
                return HeadersView.this.remove(o) != null;
            }
        };
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, List<String>>> iterator() {
                Iterator<String> names = nameIterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return names.hasNext();
                    }

                    @Override
                    public Entry<String, List<String>> next() {
                        String name = names.next();
                        return new SimpleImmutableEntry<>(name, headers.getAll(name));
                    }

                    @Override
                    public void remove() {
                        names.remove();
                    }
                };
            }

            @Override
            public int size() {
                return HeadersView.this.size();
            }
        };
    }

    @Override
    public Map<String, String> toSingleValueMap() {
        Map<String, String> single = new LinkedHashMap<>();
        for (String name : headers.names()) {
            single.put(name, headers.get(name));
        }
        return single;
    }
}
