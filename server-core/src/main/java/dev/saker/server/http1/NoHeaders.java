package dev.saker.server.http1;

import dev.saker.server.http.HttpHeaders;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** An empty, immutable field list (error responses the engine writes itself). */
final class NoHeaders implements HttpHeaders {

    static final NoHeaders INSTANCE = new NoHeaders();

    private NoHeaders() {
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public String name(int index) {
        throw new IndexOutOfBoundsException("no fields");
    }

    @Override
    public String value(int index) {
        throw new IndexOutOfBoundsException("no fields");
    }

    @Override
    public String get(String name) {
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        return Collections.emptyList();
    }

    @Override
    public Set<String> names() {
        return Collections.emptySet();
    }
}
