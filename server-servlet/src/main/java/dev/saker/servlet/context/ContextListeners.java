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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The listeners of one context: registration (the supported types only), lookup by type, the
 * context lifecycle events, and the context attribute events (as the context's {@link AttributeListener}).
 */
final class ContextListeners {

    private final ServletContext context;
    private final List<EventListener> all = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, List<?>> byType = new ConcurrentHashMap<>();
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
        if (!(listener instanceof ServletContextListener || listener instanceof ServletContextAttributeListener
                || listener instanceof ServletRequestListener || listener instanceof ServletRequestAttributeListener
                || listener instanceof HttpSessionListener || listener instanceof HttpSessionAttributeListener
                || listener instanceof HttpSessionIdListener)) {
            throw new IllegalArgumentException(listener.getClass().getName() + " is not a supported listener type");
        }
        all.add(listener);
    }

    /** No listener can be added from now on (the context started): lookups may be cached. */
    void close() {
        closed = true;
    }

    /**
     * @return the listeners of the given type, in registration order; cached once registration is
     *         closed, since requests ask for them several times
     */
    @SuppressWarnings("unchecked")
    <T extends EventListener> List<T> of(Class<T> type) {
        if (closed) {
            // Called on every attribute change of every request: no capturing lambda on the hit path.
            List<?> cached = byType.get(type);
            if (cached == null) {
                cached = find(type);
                byType.putIfAbsent(type, cached);
            }
            return (List<T>) cached;
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
