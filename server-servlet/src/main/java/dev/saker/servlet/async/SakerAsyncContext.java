package dev.saker.servlet.async;

import dev.saker.servlet.request.AsyncCycle;
import dev.saker.servlet.request.SakerRequest;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The async cycle of one request (Servlet 6.1, 2.3.3.3). {@code complete()} and {@code dispatch()}
 * called during the dispatch that started async take effect when that dispatch returns; called
 * later, from any thread, they act at once. A cycle that neither completes nor dispatches before its
 * timeout tells the listeners and, if none acts, ends with a 500 error dispatch.
 */
public final class SakerAsyncContext implements AsyncCycle {

    private enum State { STARTED, DISPATCH_PENDING, COMPLETE_PENDING, DISPATCHING, COMPLETED }

    private record Registered(AsyncListener listener, ServletRequest request, ServletResponse response) {
    }

    private final AsyncHost host;
    private final SakerRequest base;
    private final HttpServletRequest original;
    private ServletRequest request;
    private ServletResponse response;
    private final List<Registered> listeners = new ArrayList<>();
    private long timeoutMillis;
    private State state = State.STARTED;
    private boolean inDispatch = true;
    private boolean startedInThisDispatch = true;
    private String dispatchPath;
    private ScheduledFuture<?> timer;
    private boolean completeFired;
    /** The client went away while a dispatch ran: the cycle fails once no dispatch runs. */
    private boolean clientGone;

    public SakerAsyncContext(AsyncHost host, SakerRequest base, ServletRequest request,
                             ServletResponse response) {
        this.host = host;
        this.base = base;
        this.original = (HttpServletRequest) request;
        this.request = request;
        this.response = response;
        this.timeoutMillis = host.asyncTimeoutMillis();
    }

    /** {@code startAsync} again, from an async dispatch. */
    public synchronized void restart(ServletRequest request, ServletResponse response) {
        this.request = request;
        this.response = response;
        state = State.STARTED;
        startedInThisDispatch = true;
        AsyncEvent event = new AsyncEvent(this, request, response);
        List<Registered> previous = new ArrayList<>(listeners);
        listeners.clear();
        for (Registered r : previous) {
            try {
                r.listener().onStartAsync(event);
            } catch (IOException e) {
                host.log("AsyncListener.onStartAsync failed", e);
            }
        }
    }

    public synchronized boolean isStarted() {
        return state == State.STARTED || state == State.DISPATCH_PENDING || state == State.COMPLETE_PENDING
                || (state == State.DISPATCHING && startedInThisDispatch);
    }

    public synchronized boolean isCompleted() {
        return state == State.COMPLETED;
    }

    public synchronized boolean isStartedInThisDispatch() {
        return inDispatch && startedInThisDispatch;
    }

    /**
     * Called by the container when the dispatch that started (or restarted) async returns:
     * performs a pending complete or dispatch, or arms the timeout.
     */
    public void dispatchReturned() {
        State now;
        boolean gone;
        synchronized (this) {
            inDispatch = false;
            startedInThisDispatch = false;
            now = state;
            gone = clientGone && now == State.STARTED;
            if (now == State.STARTED && timeoutMillis > 0 && !gone) {
                timer = host.schedule(this::timeout, timeoutMillis);
            }
        }
        if (now == State.COMPLETE_PENDING) {
            doComplete();
        } else if (now == State.DISPATCH_PENDING) {
            host.execute(this::doDispatch);
        } else if (gone) {
            host.execute(this::clientGone);
        }
    }

    /**
     * The client went away while the response is held open (the engine noticed the connection
     * close): the listeners hear {@code onError} with an {@link IOException} now, not at the next
     * write, and if none acts the request ends. Nobody is there to read a response: nothing more is
     * written (no error page either), and the request is not logged as failed. During a dispatch,
     * that happens once it returns. Called on a container thread.
     */
    public void clientGone() {
        synchronized (this) {
            if (state == State.COMPLETED) {
                return;
            }
            clientGone = true;
            if (inDispatch || state != State.STARTED) {
                return;
            }
        }
        IOException gone = new IOException("the client closed the connection");
        // A WriteListener hears it first, as of a write that failed (Servlet 6.1, 5.7).
        Runnable writeListener = base.response().writeListenerClientGone(gone);
        if (writeListener == null && base.response().writeListenerFailed()) {
            // The WriteListener's own write failed first: that failure runs this cycle's error,
            // the WriteListener told first, exactly once; running it here too would end the cycle
            // under it and the WriteListener would never hear.
            return;
        }
        base.response().abort(gone);
        if (error(gone, writeListener)) {
            host.completeAsync(base, new AsyncEvent(this, request, response));
        }
    }

    @Override
    public ServletRequest getRequest() {
        return request;
    }

    @Override
    public ServletResponse getResponse() {
        return response;
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return request == base && response == base.response();
    }

    @Override
    public void dispatch() {
        HttpServletRequest http = (HttpServletRequest) request;
        String path = http.getServletPath() + (http.getPathInfo() == null ? "" : http.getPathInfo());
        String query = http.getQueryString();
        dispatch(query == null ? path : path + "?" + query);
    }

    @Override
    public void dispatch(String path) {
        dispatch(null, path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        if (context != null && context != host.context()) {
            throw new UnsupportedOperationException("dispatching to another ServletContext is not supported");
        }
        boolean now;
        synchronized (this) {
            if (state != State.STARTED) {
                throw new IllegalStateException("dispatch in async state " + state);
            }
            cancelTimer();
            dispatchPath = path;
            now = !inDispatch;
            state = now ? State.DISPATCHING : State.DISPATCH_PENDING;
        }
        if (now) {
            host.execute(this::doDispatch);
        }
    }

    private void doDispatch() {
        synchronized (this) {
            state = State.DISPATCHING;
            inDispatch = true;
            startedInThisDispatch = false;
        }
        host.asyncDispatch(base, original, request, response, dispatchPath, this);
    }

    /** Called by the container after an async dispatch returned: continue async, or complete. */
    public void asyncDispatchReturned() {
        boolean restarted;
        synchronized (this) {
            restarted = startedInThisDispatch;
            if (!restarted) {
                state = State.STARTED;
            }
        }
        if (restarted) {
            dispatchReturned();
        } else {
            complete();
            dispatchReturned();
        }
    }

    @Override
    public void complete() {
        boolean now;
        synchronized (this) {
            if (state == State.COMPLETED || state == State.COMPLETE_PENDING) {
                return;
            }
            cancelTimer();
            now = !inDispatch;
            state = now ? State.COMPLETED : State.COMPLETE_PENDING;
        }
        if (now) {
            finish();
        }
    }

    private void doComplete() {
        synchronized (this) {
            state = State.COMPLETED;
        }
        finish();
    }

    private void finish() {
        host.completeAsync(base, new AsyncEvent(this, request, response));
    }

    /**
     * Called by the container as it ends the request, whichever way the cycle ended (complete,
     * timeout, error): the cycle is over and the listeners hear {@code onComplete}, once.
     */
    public void completed() {
        synchronized (this) {
            cancelTimer();
            state = State.COMPLETED;
            if (completeFired) {
                return;
            }
            completeFired = true;
        }
        for (Registered r : snapshot()) {
            try {
                r.listener().onComplete(new AsyncEvent(this, r.request(), r.response()));
            } catch (IOException | RuntimeException e) {
                host.log("AsyncListener.onComplete failed", e);
            }
        }
    }

    private void timeout() {
        synchronized (this) {
            if (state != State.STARTED) {
                return;
            }
        }
        for (Registered r : snapshot()) {
            try {
                r.listener().onTimeout(new AsyncEvent(this, r.request(), r.response()));
            } catch (IOException | RuntimeException e) {
                host.log("AsyncListener.onTimeout failed", e);
            }
        }
        boolean untouched;
        synchronized (this) {
            untouched = state == State.STARTED;
        }
        if (untouched) {
            host.asyncTimedOut(base, request, response, this);
        }
    }

    /**
     * An error in this cycle, met by the container: thrown by the dispatch that started async or by
     * an async dispatch, or on a container thread (a non-blocking write that failed, a client gone).
     * The listeners hear {@code onError}; a {@code complete} or {@code dispatch} they call then takes
     * effect (Servlet 6.1, 2.3.3.3). An error after the cycle completed is ignored.
     *
     * @return whether no listener completed or dispatched: the caller must end the request with the
     *         error (the cycle then counts as completed)
     */
    public boolean error(Throwable failure) {
        return error(failure, null);
    }

    /** @param first told of the error before the listeners (a WriteListener), or {@code null} */
    private boolean error(Throwable failure, Runnable first) {
        synchronized (this) {
            if (state == State.COMPLETED) {
                return false;
            }
            cancelTimer();
            // As in a dispatch: what the listeners call is performed once they all returned.
            state = State.STARTED;
            inDispatch = true;
            startedInThisDispatch = false;
        }
        if (base.response().isCommitted()) {
            // Part of the body is out: however the listeners end the cycle (a complete() in onError
            // is common), the response must end broken, never look whole. It only marks the response;
            // the connection is aborted when the request ends.
            base.response().abort(failure);
        }
        if (first != null) {
            try {
                first.run();
            } catch (RuntimeException e) {
                host.log("error callback failed", e);
            }
        }
        for (Registered r : snapshot()) {
            try {
                r.listener().onError(new AsyncEvent(this, r.request(), r.response(), failure));
            } catch (IOException | RuntimeException e) {
                host.log("AsyncListener.onError failed", e);
            }
        }
        State now;
        synchronized (this) {
            inDispatch = false;
            now = state;
            if (now == State.STARTED) {
                state = State.COMPLETED;
            }
        }
        if (now == State.COMPLETE_PENDING) {
            doComplete();
        } else if (now == State.DISPATCH_PENDING) {
            host.execute(this::doDispatch);
        }
        return now == State.STARTED;
    }

    /** An error met on a container thread: {@link #error}, then, if no listener acted, the request ends with it. */
    public void fail(Throwable failure) {
        fail(failure, null);
    }

    /**
     * As {@link #fail(Throwable)}, telling {@code first} (a non-blocking I/O listener's
     * {@code onError}) before the async listeners; a {@code complete} it calls takes effect after them.
     */
    public void fail(Throwable failure, Runnable first) {
        if (error(failure, first)) {
            host.asyncFailed(base, request, response, failure);
        }
    }

    private synchronized List<Registered> snapshot() {
        return new ArrayList<>(listeners);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void start(Runnable run) {
        host.execute(run);
    }

    @Override
    public synchronized void addListener(AsyncListener listener) {
        listeners.add(new Registered(listener, request, response));
    }

    @Override
    public synchronized void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
        listeners.add(new Registered(listener, servletRequest, servletResponse));
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
        try {
            return clazz.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ServletException("cannot instantiate " + clazz.getName(), e);
        }
    }

    @Override
    public synchronized void setTimeout(long timeout) {
        if (!inDispatch) {
            throw new IllegalStateException("setTimeout must be called in the dispatch that started async");
        }
        this.timeoutMillis = timeout;
    }

    @Override
    public synchronized long getTimeout() {
        return timeoutMillis;
    }
}
