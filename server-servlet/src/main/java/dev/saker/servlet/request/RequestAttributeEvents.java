package dev.saker.servlet.request;

import dev.saker.servlet.attributes.AttributeListener;
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
public final class RequestAttributeEvents implements AttributeListener {

    private final ServletContext context;
    private final Supplier<List<ServletRequestAttributeListener>> listeners;

    /** @param listeners the context's request attribute listeners (a cheap, cached lookup) */
    public RequestAttributeEvents(ServletContext context, Supplier<List<ServletRequestAttributeListener>> listeners) {
        this.context = context;
        this.listeners = listeners;
    }

    @Override
    public void added(Object owner, String name, Object value) {
        List<ServletRequestAttributeListener> ls = listeners.get();
        if (!ls.isEmpty()) {
            ServletRequestAttributeEvent event = new ServletRequestAttributeEvent(context, (ServletRequest) owner, name, value);
            for (ServletRequestAttributeListener l : ls) {
                l.attributeAdded(event);
            }
        }
    }

    @Override
    public void replaced(Object owner, String name, Object oldValue) {
        List<ServletRequestAttributeListener> ls = listeners.get();
        if (!ls.isEmpty()) {
            ServletRequestAttributeEvent event = new ServletRequestAttributeEvent(context, (ServletRequest) owner, name, oldValue);
            for (ServletRequestAttributeListener l : ls) {
                l.attributeReplaced(event);
            }
        }
    }

    @Override
    public void removed(Object owner, String name, Object oldValue) {
        List<ServletRequestAttributeListener> ls = listeners.get();
        if (!ls.isEmpty()) {
            ServletRequestAttributeEvent event = new ServletRequestAttributeEvent(context, (ServletRequest) owner, name, oldValue);
            for (ServletRequestAttributeListener l : ls) {
                l.attributeRemoved(event);
            }
        }
    }
}
