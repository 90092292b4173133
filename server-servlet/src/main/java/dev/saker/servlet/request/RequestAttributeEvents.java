package dev.saker.servlet.request;

import dev.saker.servlet.attributes.AttributeEvents;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reports request attribute changes to the context's {@link ServletRequestAttributeListener}s. One
 * instance serves every request of a container (the request is the event's owner), and no event is
 * built when there is no listener: Spring MVC sets a dozen attributes on every request.
 */
public final class RequestAttributeEvents
        extends AttributeEvents<ServletRequestAttributeListener, ServletRequestAttributeEvent> {

    private final ServletContext context;
    private final Supplier<List<ServletRequestAttributeListener>> listeners;

    /** @param listeners the context's request attribute listeners (a cheap, cached lookup) */
    public RequestAttributeEvents(ServletContext context, Supplier<List<ServletRequestAttributeListener>> listeners) {
        super(ServletRequestAttributeListener::attributeAdded, ServletRequestAttributeListener::attributeReplaced,
                ServletRequestAttributeListener::attributeRemoved);
        this.context = context;
        this.listeners = listeners;
    }

    @Override
    protected List<ServletRequestAttributeListener> listeners() {
        return listeners.get();
    }

    @Override
    protected ServletRequestAttributeEvent event(Object owner, String name, Object value) {
        return new ServletRequestAttributeEvent(context, (ServletRequest) owner, name, value);
    }
}
