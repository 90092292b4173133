package dev.saker.servlet.session;

import dev.saker.servlet.attributes.AttributeEvents;
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
final class SessionAttributeEvents extends AttributeEvents<HttpSessionAttributeListener, HttpSessionBindingEvent>
        implements ValueBinding {

    private final SessionContext context;

    SessionAttributeEvents(SessionContext context) {
        super(HttpSessionAttributeListener::attributeAdded, HttpSessionAttributeListener::attributeReplaced,
                HttpSessionAttributeListener::attributeRemoved);
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
    protected List<HttpSessionAttributeListener> listeners() {
        return context.listeners(HttpSessionAttributeListener.class);
    }

    @Override
    protected HttpSessionBindingEvent event(Object owner, String name, Object value) {
        return new HttpSessionBindingEvent((HttpSession) owner, name, value);
    }
}
