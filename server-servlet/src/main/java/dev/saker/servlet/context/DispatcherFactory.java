package dev.saker.servlet.context;

import jakarta.servlet.RequestDispatcher;

/**
 * Makes the context's request dispatchers. The container that serves the context sets it (the
 * dispatch package's), so the context does not depend on the code that runs dispatches.
 */
public interface DispatcherFactory {

    /** @param pathAndQuery a context-relative path starting with '/', optionally with {@code ?query} */
    RequestDispatcher forPath(String pathAndQuery);

    /** @return a dispatcher to the servlet registered as {@code holder} */
    RequestDispatcher named(ServletHolder holder);
}
