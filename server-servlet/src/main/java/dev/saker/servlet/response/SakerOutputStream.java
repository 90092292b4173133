package dev.saker.servlet.response;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * The response body as a {@link ServletOutputStream}, writing into the response's buffer. After
 * {@link #setWriteListener} it is non-blocking (Servlet 6.1, 5.7): {@link #isReady()} reports whether
 * the connection can take more, and the listener hears on a container thread when it can again (see
 * {@link NonBlockingWrites}). Once its request ended the stream throws {@link IllegalStateException}.
 */
final class SakerOutputStream extends ServletOutputStream {

    private final SakerResponse response;
    private volatile NonBlockingWrites nonBlocking;

    SakerOutputStream(SakerResponse response) {
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        response.lifetime.check();
        NonBlockingWrites writes = nonBlocking;
        if (writes != null && writes.failed()) {
            throw new IOException("the client closed the connection");
        }
        response.writeBody(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        response.flushBuffer();
    }

    @Override
    public void close() throws IOException {
        response.closeOutput();
    }

    @Override
    public boolean isReady() {
        response.lifetime.check();
        NonBlockingWrites writes = nonBlocking;
        if (writes == null) {
            return true;
        }
        if (writes.failed()) {
            return false;
        }
        if (response.engineWritable()) {
            return true;
        }
        writes.schedule();
        return false;
    }

    /** @return whether non-blocking writes are set and have failed */
    boolean nonBlockingFailed() {
        NonBlockingWrites writes = nonBlocking;
        return writes != null && writes.failed();
    }

    /** @return the WriteListener's {@code onError} for a client that left, or {@code null} (see {@link NonBlockingWrites#clientGone}) */
    Runnable clientGone(Throwable cause) {
        NonBlockingWrites writes = nonBlocking;
        return writes == null ? null : writes.clientGone(cause);
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        if (writeListener == null) {
            throw new NullPointerException("WriteListener");
        }
        response.lifetime.check();
        if (nonBlocking != null) {
            throw new IllegalStateException("a WriteListener is already set");
        }
        if (!response.asyncStarted()) {
            throw new IllegalStateException("setWriteListener needs async mode (startAsync first)");
        }
        NonBlockingWrites writes = new NonBlockingWrites(response, writeListener);
        nonBlocking = writes;
        // Also switches the engine's stream to non-blocking; runs at once when writable (the first call).
        writes.schedule();
    }
}
