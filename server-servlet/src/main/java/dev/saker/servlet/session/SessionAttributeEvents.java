package dev.saker.servlet.session;

import dev.saker.servlet.attributes.AttributeListener;
import dev.saker.servlet.attributes.ValueBinding;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.util.List;

/**
 * Session attribute events, one instance for every session of a context: values that are
 * {@link HttpSessionBindingListener}s hear they were bound and unbound, then the context's
 * {@link HttpSessionAttributeListener}s hear the change.
 */
final class SessionAttributeEvents implements AttributeListener, ValueBinding {

    private final SessionContext context;

    SessionAttributeEvents(SessionContext context) {
        this.context = context;
    }

    @Override
    public void bound(Object owner, String name, Object value) {
        if (value instanceof HttpSessionBindingListener) {
            ((HttpSessionBindingListener) value).valueBound(new HttpSessionBindingEvent((HttpSession) owner, name, value));
        }
    }

    @Override
    public void unbound(Object owner, String name, Object value) {
        if (value instanceof HttpSessionBindingListener) {
            ((HttpSessionBindingListener) value).valueUnbound(new HttpSessionBindingEvent((HttpSession) owner, name, value));
        }
    }

    @Override
    public void added(Object owner, String name, Object value) {
        List<HttpSessionAttributeListener> ls = context.listeners(HttpSessionAttributeListener.class);
        if (!ls.isEmpty()) {
            HttpSessionBindingEvent event = new HttpSessionBindingEvent((HttpSession) owner, name, value);
            for (HttpSessionAttributeListener l : ls) {
                l.attributeAdded(event);
            }
        }
    }

    @Override
    public void replaced(Object owner, String name, Object oldValue) {
        List<HttpSessionAttributeListener> ls = context.listeners(HttpSessionAttributeListener.class);
        if (!ls.isEmpty()) {
            HttpSessionBindingEvent event = new HttpSessionBindingEvent((HttpSession) owner, name, oldValue);
            for (HttpSessionAttributeListener l : ls) {
                l.attributeReplaced(event);
            }
        }
    }

    @Override
    public void removed(Object owner, String name, Object oldValue) {
        List<HttpSessionAttributeListener> ls = context.listeners(HttpSessionAttributeListener.class);
        if (!ls.isEmpty()) {
            HttpSessionBindingEvent event = new HttpSessionBindingEvent((HttpSession) owner, name, oldValue);
            for (HttpSessionAttributeListener l : ls) {
                l.attributeRemoved(event);
            }
        }
    }
}
