package dev.saker.servlet.context;

import dev.saker.servlet.attributes.AttributeEvents;
import dev.saker.servlet.attributes.AttributeListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextAttributeEvent;
import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The listeners of one context: registration (the supported types only), lookup by type, the
 * context lifecycle events, and the context attribute events (as the context's {@link AttributeListener}).
 */
final class ContextListeners {

    private final ServletContext context;
    private final List<EventListener> all = new CopyOnWriteArrayList<>();
    /** The listener types a context may hold (Servlet 6.1, section 11.2). */
    private static final List<Class<? extends EventListener>> TYPES = List.of(ServletRequestAttributeListener.class,
            ServletRequestListener.class, HttpSessionAttributeListener.class, HttpSessionListener.class,
            HttpSessionIdListener.class, ServletContextAttributeListener.class, ServletContextListener.class);
    /** The listeners of each of {@link #TYPES}, by index, fixed when registration closes. */
    private volatile List<?>[] byType;
    private final List<ServletContextListener> initialized = new ArrayList<>();
    private final AttributeListener attributeEvents =
            new AttributeEvents<ServletContextAttributeListener, ServletContextAttributeEvent>(
                    ServletContextAttributeListener::attributeAdded, ServletContextAttributeListener::attributeReplaced,
                    ServletContextAttributeListener::attributeRemoved) {
                @Override
                protected List<ServletContextAttributeListener> listeners() {
                    return of(ServletContextAttributeListener.class);
                }

                @Override
                protected ServletContextAttributeEvent event(Object owner, String name, Object value) {
                    return new ServletContextAttributeEvent(context, name, value);
                }
            };
    private volatile boolean closed;

    ContextListeners(ServletContext context) {
        this.context = context;
    }

    /** Registers a listener of one of the types the Servlet spec lets a context hold. */
    void add(EventListener listener) {
        if (TYPES.stream().noneMatch(type -> type.isInstance(listener))) {
            throw new IllegalArgumentException(listener.getClass().getName() + " is not a supported listener type");
        }
        all.add(listener);
    }

    /** No listener can be added from now on (the context started): lookups may be cached. */
    void close() {
        List<?>[] lists = new List<?>[TYPES.size()];
        for (int i = 0; i < lists.length; i++) {
            lists[i] = find(TYPES.get(i));
        }
        byType = lists;
        closed = true;
    }

    /**
     * @return the listeners of the given type, in registration order; fixed once registration is
     *         closed, since every attribute change of every request asks (Spring MVC makes a dozen):
     *         then the answer is a few reference compares, no hashing and no allocation
     */
    @SuppressWarnings("unchecked")
    <T extends EventListener> List<T> of(Class<T> type) {
        if (closed) {
            List<?>[] lists = byType;
            for (int i = 0; i < lists.length; i++) {
                if (TYPES.get(i) == type) {
                    return (List<T>) lists[i];
                }
            }
        }
        return find(type);
    }

    private <T extends EventListener> List<T> find(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (EventListener listener : all) {
            if (type.isInstance(listener)) {
                found.add(type.cast(listener));
            }
        }
        return List.copyOf(found);
    }

    /** Tells the context listeners, in registration order, that the context is initialized. */
    void contextInitialized() {
        ServletContextEvent event = new ServletContextEvent(context);
        for (EventListener listener : all) {
            if (listener instanceof ServletContextListener) {
                ((ServletContextListener) listener).contextInitialized(event);
                initialized.add((ServletContextListener) listener);
            }
        }
    }

    /**
     * Tells the listeners that were initialized, in reverse order, that the context is destroyed;
     * each call goes through {@code safely} so one failure does not skip the others.
     */
    void contextDestroyed(BiConsumer<Runnable, String> safely) {
        ServletContextEvent event = new ServletContextEvent(context);
        for (int i = initialized.size() - 1; i >= 0; i--) {
            ServletContextListener listener = initialized.get(i);
            safely.accept(() -> listener.contextDestroyed(event), "listener " + listener);
        }
    }

    /** Context attribute changes, told to the {@link ServletContextAttributeListener}s. */
    AttributeListener attributeEvents() {
        return attributeEvents;
    }
}
