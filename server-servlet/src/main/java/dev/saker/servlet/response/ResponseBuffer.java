package dev.saker.servlet.response;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.MutableHeaders;
import dev.saker.servlet.request.RequestHost;
import dev.saker.servlet.request.RequestLifetime;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A response's body buffer and its commit rules: bytes collect in a buffer (8 KiB by default,
 * grown as needed) that commits the response when it overflows or is flushed; a response that
 * ends while everything still fits goes out whole with a {@code Content-Length}, in one task. Bytes
 * past a declared length, or after the body was closed or output suspended, are dropped. A base
 * class of {@link SakerResponse}, not a collaborator, so a response costs no extra allocation.
 */
abstract class ResponseBuffer extends ResponseHead {

    final HttpExchange exchange;
    private byte[] buffer;
    private int count;
    private int bufferSize = 8192;
    private long written;
    private boolean committed;
    private boolean finished;
    private boolean suspended;
    private boolean bodyClosed;
    /** The application tried to reset after commit: it met a failure with part of the body sent. */
    private boolean resetAfterCommit;
    /** Why the response failed; the exchange is aborted with it when the request ends. */
    private Throwable abortCause;
    /** Held while the engine's output is used: an abort from another thread waits its turn. */
    private final java.util.concurrent.locks.ReentrantLock engineLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean abortPending;
    private boolean aborted;
    private OutputStream engineOut;
    Supplier<Map<String, String>> trailers;

    ResponseBuffer(RequestLifetime lifetime, RequestHost host, HttpExchange exchange) {
        super(lifetime, host);
        this.exchange = exchange;
    }

    /** Moves the characters a writer still holds into the buffer. */
    abstract void flushWriterChars();

    /** @return whether the response was finished or aborted (nothing more goes out) */
    final boolean finished() {
        return finished;
    }

    /**
     * Marks the response failed: nothing more is written, and {@link #abortNow()} aborts the
     * exchange when the request ends (see {@code SakerResponse.abort}). A body that reached its
     * declared length (its tail may still be buffered after a commit), or ended with a forward while
     * still buffered, is whole: it is left to go out.
     */
    void abortOutput(Throwable cause) {
        boolean declaredLengthWritten = contentLength >= 0 && written >= contentLength;
        if (abortCause != null || declaredLengthWritten || (!committed && bodyClosed)) {
            return;
        }
        abortCause = cause == null ? new IllegalStateException("response aborted") : cause;
        buffer = null;
        count = 0;
        suspended = true;
    }

    /** @return whether {@link #abortOutput} marked the response failed */
    final boolean aborting() {
        return abortCause != null;
    }

    /**
     * The request ends after a failure: the engine aborts the exchange (body unterminated), which
     * releases the engine's output buffer. That may be asked from another thread (an async timeout)
     * while the application's thread is still writing: then the writer does it as it leaves the
     * engine, never both at once (a buffer released under a write would be used after its release).
     */
    void abortNow() {
        abortPending = true;
        abortIfFree();
    }

    private void abortIfFree() {
        if (!engineLock.tryLock()) {
            return;   // the writer holds it and sees abortPending when it unlocks
        }
        try {
            if (abortPending && !aborted) {
                aborted = true;
                finished = true;
                exchange.abort(abortCause);
            }
        } finally {
            engineLock.unlock();
        }
    }

    /** Leaves the engine: performs an abort another thread asked for meanwhile. */
    private void leaveEngine() {
        engineLock.unlock();
        if (abortPending) {
            abortIfFree();
        }
    }

    /** Suspends output: later writes are ignored (after sendError or sendRedirect, until finish). */
    void suspend() {
        suspended = true;
    }

    /** Output goes on again (an error page writes its own response). */
    void resume() {
        suspended = false;
    }

    /** Sends the head and the buffered body, whole if nothing was committed yet, then the trailers. */
    void send() throws IOException {
        engineLock.lock();
        try {
            if (aborted) {
                return;
            }
            sendLocked();
        } finally {
            leaveEngine();
        }
    }

    private void sendLocked() throws IOException {
        flushWriterChars();
        finished = true;
        if (!committed && trailers == null) {
            committed = true;
            applyHead(exchange);
            exchange.send(count == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(buffer, 0, count));
            buffer = null;
            count = 0;
            return;
        }
        commit();
        if (count > 0) {
            engineOut.write(buffer, 0, count);
            count = 0;
        }
        if (trailers != null) {
            Map<String, String> fields = trailers.get();
            if (fields != null && !fields.isEmpty()) {
                MutableHeaders t = new MutableHeaders();
                fields.forEach(t::add);
                exchange.trailers(t);
            }
        }
        engineOut.close();
    }

    /**
     * Sends {@code 101 Switching Protocols} with the head's fields and hands the connection to
     * {@code protocol} ({@code HttpServletRequest.upgrade}). Body bytes still buffered are dropped:
     * a 101 has no content, what follows it is the new protocol's.
     *
     * @return false when the response was committed or aborted already: nothing was switched
     */
    boolean sendSwitching(dev.saker.server.connection.UpgradedProtocol protocol) {
        engineLock.lock();
        try {
            if (aborted || abortCause != null || committed || finished) {
                return false;
            }
            committed = true;
            finished = true;
            buffer = null;
            count = 0;
            dev.saker.server.http.ResponseHeaders out = exchange.responseHeaders();
            for (int i = 0; i < headers.size(); i++) {
                out.add(headers.name(i), headers.value(i));
            }
            exchange.upgrade(protocol);
            return true;
        } finally {
            leaveEngine();
        }
    }

    void commit() {
        if (committed) {
            return;
        }
        committed = true;
        applyHead(exchange);
        engineOut = exchange.responseBody();
    }

    void writeBody(byte[] b, int off, int len) throws IOException {
        engineLock.lock();
        try {
            if (aborted) {
                return;
            }
            writeBodyLocked(b, off, len);
        } finally {
            leaveEngine();
        }
    }

    private void writeBodyLocked(byte[] b, int off, int len) throws IOException {
        if (suspended || finished || bodyClosed) {
            return;
        }
        if (contentLength >= 0 && written + len > contentLength) {
            // Bytes past the declared length are not part of this response (Servlet 6.1, 5.6).
            len = (int) (contentLength - written);
        }
        ensureBuffer(count + len);
        if (count + len > bufferSize) {
            commit();
            if (count > 0) {
                engineOut.write(buffer, 0, count);
                count = 0;
            }
            if (len >= bufferSize) {
                engineOut.write(b, off, len);
            } else {
                System.arraycopy(b, off, buffer, 0, len);
                count = len;
            }
        } else {
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }
        written += len;
        if (contentLength >= 0 && written >= contentLength) {
            bodyClosed = true;
        }
    }

    void closeOutput() {
        closeBody();
    }

    /**
     * The body is complete (its declared length was written, its stream closed, or a forward
     * returned): later writes are ignored. The response is handed to the connection only when the
     * request ends ({@code finish()}), because handing it over lets the connection reuse its state
     * for the next request while the application may still read this one.
     */
    public void closeBody() {
        if (!bodyClosed) {
            flushWriterChars();
        }
        bodyClosed = true;
    }

    /** Grows the buffer towards {@code bufferSize} as needed: small responses stay small. */
    private void ensureBuffer(int needed) {
        int target = Math.min(Math.max(needed, 512), bufferSize);
        if (buffer == null) {
            buffer = new byte[target];
        } else if (buffer.length < target) {
            buffer = java.util.Arrays.copyOf(buffer, Math.min(bufferSize, Math.max(target, buffer.length * 2)));
        }
    }

    /** @return whether the connection takes more output without waiting (non-blocking writes) */
    boolean engineWritable() {
        return exchange.responseWritable();
    }

    @Override
    public void setBufferSize(int size) {
        lifetime.check();
        if (committed || written > 0) {
            throw new IllegalStateException("setBufferSize after content was written");
        }
        bufferSize = Math.max(size, 512);
        buffer = null;
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    /** Commits and hands the buffered bytes to the connection (the writer's characters are not touched). */
    void flushToClient() throws IOException {
        engineLock.lock();
        try {
            if (aborted) {
                return;
            }
            flushToClientLocked();
        } finally {
            leaveEngine();
        }
    }

    private void flushToClientLocked() throws IOException {
        if (suspended || finished || bodyClosed) {
            return;
        }
        commit();
        if (count > 0) {
            engineOut.write(buffer, 0, count);
            count = 0;
        }
        engineOut.flush();
    }

    @Override
    public void resetBuffer() {
        lifetime.check();
        if (committed) {
            resetAfterCommit = true;
            throw new IllegalStateException("resetBuffer after the response was committed");
        }
        count = 0;
        written = 0;
    }

    /**
     * @return whether the application tried to reset the response after it was committed: it met a
     *         failure once part of the body was out (Spring's DispatcherServlet resets the buffer
     *         before it resolves an exception)
     */
    public boolean resetAfterCommit() {
        return resetAfterCommit;
    }

    /** A reset of the whole response was refused because it was committed. */
    final void resetRefused() {
        resetAfterCommit = true;
    }

    @Override
    public boolean isCommitted() {
        return committed || bodyClosed;
    }

    @Override
    boolean headCommitted() {
        return committed;
    }

    @Override
    boolean ended() {
        return finished;
    }
}
