package dev.saker.reactive;

import dev.saker.server.http.ResponseHeaders;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/**
 * The engine's response header fields seen as Spring's {@link MultiValueMap}: what the application
 * sets goes straight into the exchange's {@link ResponseHeaders} (case-insensitive names, order
 * kept), so there is no second map per request and nothing to copy at commit. Values are checked as
 * they are set (names must be tokens; no CR, LF or other control characters), so a bad value fails
 * the application's call itself.
 */
final class ResponseHeadersAdapter extends HeadersView<ResponseHeaders> {

    ResponseHeadersAdapter(ResponseHeaders headers) {
        super(headers);
    }

    @Override
    public void add(String key, String value) {
        headers.add(key, value);
    }

    @Override
    public void addAll(String key, List<? extends String> values) {
        for (String value : values) {
            headers.add(key, value);
        }
    }

    @Override
    public void addAll(MultiValueMap<String, String> values) {
        for (Entry<String, List<String>> entry : values.entrySet()) {
            addAll(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void set(String key, String value) {
        headers.set(key, value);
    }

    @Override
    public void setAll(Map<String, String> values) {
        values.forEach(this::set);
    }

    @Override
    public List<String> put(String key, List<String> values) {
        List<String> previous = get(key);
        headers.remove(key);
        addAll(key, values);
        return previous;
    }

    @Override
    public List<String> remove(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        List<String> previous = get(name);
        headers.remove(name);
        return previous;
    }

    @Override
    public void clear() {
        headers.clear();
    }

    @Override
    public Collection<List<String>> values() {
        List<List<String>> values = new ArrayList<>();
        for (String name : headers.names()) {
            values.add(headers.getAll(name));
        }
        return values;
    }
}
