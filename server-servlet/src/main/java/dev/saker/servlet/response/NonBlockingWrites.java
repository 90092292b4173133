package dev.saker.servlet.response;

import dev.saker.servlet.request.AsyncCycle;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * Drives a {@link WriteListener} (Servlet 6.1, 5.7): {@code onWritePossible} on a container thread
 * each time the connection can take more after {@code isReady()} said no. When the client leaves
 * while the listener waits for room, or a callback throws, the listener hears {@code onError} once,
 * the async cycle's error path runs, and the listener is never called again.
 */
final class NonBlockingWrites {

    private final SakerResponse response;
    private final WriteListener listener;
    private volatile boolean failed;

    NonBlockingWrites(SakerResponse response, WriteListener listener) {
        this.response = response;
        this.listener = listener;
    }

    /** Calls {@code onWritePossible} once the connection can take more (at once if it can now). */
    void schedule() {
        response.whenEngineWritable(this::run);
    }

    /** @return whether the writes failed (the client left): nothing more can be written */
    boolean failed() {
        return failed;
    }

    private void run(boolean closed) {
        if (failed || response.lifetime.ended()) {
            return;
        }
        if (closed) {
            fail(new IOException("the client closed the connection while the response was being written"));
            return;
        }
        try {
            listener.onWritePossible();
        } catch (Throwable t) {
            fail(t);
        }
    }

    /**
     * The client left (the async cycle heard it from the engine): the listener's {@code onError}, for
     * the cycle to run before its own listeners; {@code null} when the listener has heard of a
     * failure already. The listener is not called again either way.
     */
    Runnable clientGone(Throwable cause) {
        return claimFailure() ? () -> listener.onError(cause) : null;
    }

    /** @return whether this is the first failure (the listener hears of one failure only) */
    private synchronized boolean claimFailure() {
        if (failed) {
            return false;
        }
        failed = true;
        return true;
    }

    private void fail(Throwable failure) {
        if (!claimFailure()) {
            return;
        }
        AsyncCycle async = response.request.asyncContextOrNull();
        if (async != null) {
            async.fail(failure, () -> listener.onError(failure));
        } else {
            listener.onError(failure);
        }
    }
}
