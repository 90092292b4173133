package dev.saker.servlet.attributes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * The named attributes of a context, request or session, with the Servlet rules for changing them:
 * a {@code null} value removes, an add or replace or remove is reported to the {@link AttributeListener}
 * (replace with the old value), and, for sessions, values are told when they are bound and unbound
 * ({@link ValueBinding}: bound before the value is visible, the replaced value unbound after it is gone,
 * unless it is the same object).
 *
 * <p>The backing map decides thread safety: a {@code ConcurrentHashMap} for contexts and sessions, a
 * {@code HashMap} for a request (one thread at a time). Nothing is allocated on a change unless a
 * listener builds its event.
 */
public final class AttributeMap {

    private final Map<String, Object> values;
    private final Object owner;
    private final AttributeListener listener;
    private final ValueBinding binding;

    /**
     * @param values   the backing map (empty; owned by this map from now on)
     * @param owner    what the events are about (passed to the listener and binding)
     * @param listener hears adds, replaces and removes
     * @param binding  tells values they were bound or unbound, or {@code null} (contexts, requests)
     */
    public AttributeMap(Map<String, Object> values, Object owner, AttributeListener listener, ValueBinding binding) {
        this.values = values;
        this.owner = owner;
        this.listener = listener;
        this.binding = binding;
    }

    public Object get(String name) {
        return values.get(name);
    }

    /** @return a snapshot of the names: listeners may change the map while the caller iterates */
    public Enumeration<String> names() {
        return Collections.enumeration(new ArrayList<>(values.keySet()));
    }

    /** Sets {@code name} to {@code value}, or removes it when {@code value} is {@code null}. */
    public void set(String name, Object value) {
        if (value == null) {
            remove(name);
            return;
        }
        if (binding != null) {
            binding.bound(owner, name, value);
        }
        Object old = values.put(name, value);
        if (old == null) {
            listener.added(owner, name, value);
            return;
        }
        if (binding != null && old != value) {
            binding.unbound(owner, name, old);
        }
        listener.replaced(owner, name, old);
    }

    /**
     * Sets a value the container itself provides (the TLS attributes of a request), without
     * events or binding, as Tomcat adds them; later changes by the application are reported as usual.
     */
    public void putQuietly(String name, Object value) {
        values.put(name, value);
    }

    /** Removes {@code name}; nothing is reported when it had no value. */
    public void remove(String name) {
        Object old = values.remove(name);
        if (old != null) {
            if (binding != null) {
                binding.unbound(owner, name, old);
            }
            listener.removed(owner, name, old);
        }
    }

    /** Removes every attribute, each reported as {@link #remove} does. */
    public void removeAll() {
        for (String name : new ArrayList<>(values.keySet())) {
            remove(name);
        }
    }

    /** @return an immutable copy of the attributes (for a session store) */
    public Map<String, Object> snapshot() {
        return Map.copyOf(values);
    }

    /** Puts attributes read back from a store, as they were: nothing is reported or bound. */
    public void restore(Map<String, Object> saved) {
        values.putAll(saved);
    }

    /** Drops every attribute with nothing reported (a session leaving memory for its store). */
    public void clearSilently() {
        values.clear();
    }
}
