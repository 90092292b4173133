package dev.saker.servlet.request;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * A request's async cycle as the request, its response and the container drive it; the async
 * package implements it (Servlet 6.1, 2.3.3.3).
 */
public interface AsyncCycle extends AsyncContext {

    /** @return whether async is started and not yet completed or dispatched */
    boolean isStarted();

    /** @return whether the cycle is over */
    boolean isCompleted();

    /** @return whether {@code startAsync} was called in the dispatch that is running or just returned */
    boolean isStartedInThisDispatch();

    /** {@code startAsync} again, from an async dispatch. */
    void restart(ServletRequest request, ServletResponse response);

    /** The dispatch that started async returned: a pending complete or dispatch now takes effect. */
    void dispatchReturned();

    /**
     * An error met by the container while the cycle runs; the listeners hear {@code onError}.
     *
     * @return whether no listener completed or dispatched: the caller must end the request with it
     */
    boolean error(Throwable failure);

    /**
     * An error met on a container thread, told to {@code first} (or {@code null}) before the async
     * listeners; if none acts, the request ends with it.
     */
    void fail(Throwable failure, Runnable first);

    /** The request is ending, whichever way the cycle ended: listeners hear {@code onComplete}, once. */
    void completed();
}
