package dev.saker.server.http;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HttpExchange#onClientGone} listener of one exchange and whether its client went away.
 * The engine calls {@link #gone()} on the event loop; {@link #listen} may come from any thread, before
 * or after, and the listener runs exactly once either way.
 */
public final class ClientWatch {

    private static final Logger log = LoggerFactory.getLogger(ClientWatch.class);
    /** Marks a client gone; no listener is ever this instance. */
    private static final Runnable GONE = () -> { };

    private final AtomicReference<Runnable> state = new AtomicReference<>();

    /** A new exchange begins on a reused object: no listener, client present. Loop only. */
    public void reset() {
        state.set(null);
    }

    /** Sets the listener; runs it at once (on the caller) if the client has gone already. */
    public void listen(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        if (state.compareAndSet(null, listener)) {
            return;
        }
        if (state.get() == GONE) {
            run(listener);
            return;
        }
        throw new IllegalStateException("a client-gone listener is already set for this exchange");
    }

    /** The client went away: runs the listener, if one is set (once, however often this is called). */
    public void gone() {
        Runnable listener = state.getAndSet(GONE);
        if (listener != null && listener != GONE) {
            run(listener);
        }
    }

    private static void run(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            // Called on the event loop: a failing listener must not break the connection's handling.
            log.debug("client-gone listener failed", e);
        }
    }
}
