package dev.saker.reactive;

import dev.saker.server.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/**
 * The reading half of Spring's {@link MultiValueMap} over the engine's header fields, without
 * copying them: lookups go to the fields themselves (case-insensitive names, order kept). The
 * request and response views add what each allows to change.
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

    @Override
    public Map<String, String> toSingleValueMap() {
        Map<String, String> single = new LinkedHashMap<>();
        for (String name : headers.names()) {
            single.put(name, headers.get(name));
        }
        return single;
    }
}
