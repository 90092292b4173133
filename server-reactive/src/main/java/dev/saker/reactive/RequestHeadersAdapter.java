package dev.saker.reactive;

import dev.saker.server.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/**
 * The engine's request header fields seen as Spring's read-only {@link MultiValueMap}, without
 * copying them: lookups go to the parsed head (case-insensitive, in order). Valid, like the
 * exchange, until the response is complete. Changing it throws {@link UnsupportedOperationException}
 * (request headers are read-only in Spring too; {@code request.mutate()} copies them).
 */
final class RequestHeadersAdapter extends HeadersView<HttpHeaders> {

    RequestHeadersAdapter(HttpHeaders headers) {
        super(headers);
    }

    @Override
    public void add(String key, String value) {
        throw readOnly();
    }

    @Override
    public void addAll(String key, List<? extends String> values) {
        throw readOnly();
    }

    @Override
    public void addAll(MultiValueMap<String, String> values) {
        throw readOnly();
    }

    @Override
    public void set(String key, String value) {
        throw readOnly();
    }

    @Override
    public void setAll(Map<String, String> values) {
        throw readOnly();
    }

    @Override
    public List<String> put(String key, List<String> value) {
        throw readOnly();
    }

    @Override
    public List<String> remove(Object key) {
        throw readOnly();
    }

    @Override
    public void clear() {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("request headers are read-only; use request.mutate() to change them");
    }
}
