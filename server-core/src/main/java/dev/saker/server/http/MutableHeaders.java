package dev.saker.server.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordered, multi-valued, case-insensitive list of header fields that validates what goes in:
 * names must be tokens, values may not hold CR, LF or other control bytes (no response splitting).
 * Not thread-safe.
 */
public final class MutableHeaders implements ResponseHeaders {

    private String[] names = new String[16];
    private String[] values = new String[16];
    private int size;

    @Override
    public int size() {
        return size;
    }

    @Override
    public String name(int index) {
        checkIndex(index);
        return names[index];
    }

    @Override
    public String value(int index) {
        checkIndex(index);
        return values[index];
    }

    @Override
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> found = null;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                if (found == null) {
                    found = new ArrayList<>(2);
                }
                found.add(values[i]);
            }
        }
        return found == null ? Collections.emptyList() : found;
    }


    @Override
    public MutableHeaders set(String name, String value) {
        checkField(name, value);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                values[i] = value;
                removeFrom(i + 1, name);
                return this;
            }
        }
        append(name, value);
        return this;
    }

    @Override
    public MutableHeaders add(String name, String value) {
        checkField(name, value);
        append(name, value);
        return this;
    }

    @Override
    public boolean remove(String name) {
        int before = size;
        removeFrom(0, name);
        return size != before;
    }

    @Override
    public void clear() {
        for (int i = 0; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = 0;
    }

    private void removeFrom(int from, String name) {
        int w = from;
        for (int r = from; r < size; r++) {
            if (!names[r].equalsIgnoreCase(name)) {
                names[w] = names[r];
                values[w] = values[r];
                w++;
            }
        }
        for (int i = w; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = w;
    }

    private void append(String name, String value) {
        if (size == names.length) {
            String[] n = new String[size * 2];
            String[] v = new String[size * 2];
            System.arraycopy(names, 0, n, 0, size);
            System.arraycopy(values, 0, v, 0, size);
            names = n;
            values = v;
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("field " + index + " of " + size);
        }
    }

    private static void checkField(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!token) {
                throw new IllegalArgumentException("header name '" + name + "' is not a token");
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("header '" + name + "' has a null value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("header '" + name + "' value has a control or non-Latin-1 character at "
                        + i + " (CR/LF would split the response)");
            }
        }
    }
}
