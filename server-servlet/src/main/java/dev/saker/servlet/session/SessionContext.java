package dev.saker.servlet.session;

import jakarta.servlet.ServletContext;
import java.util.EventListener;
import java.util.List;

/**
 * What sessions need from their context: its Servlet view (session cookie, timeout, class loader)
 * and its listeners by type. The context implements it, so sessions do not depend on the context
 * classes.
 */
public interface SessionContext extends ServletContext {

    /** @return the context's listeners of the given type, in registration order (a cheap lookup) */
    <T extends EventListener> List<T> listeners(Class<T> type);
}
