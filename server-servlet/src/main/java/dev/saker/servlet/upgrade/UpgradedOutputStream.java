package dev.saker.servlet.upgrade;

import dev.saker.server.upgrade.ByteStream;
import io.netty.buffer.ByteBuf;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upgraded connection's output as a {@link ServletOutputStream}. Each write goes to the client
 * at once (flushed: the protocol above frames its own messages). Blocking until a
 * {@link WriteListener} is set: a write waits while the client does not read. Then non-blocking
 * (Servlet 6.1, 5.7): {@link #isReady()} tells whether the connection takes more, and after it said
 * no the listener hears {@code onWritePossible} on a container thread once it does, or
 * {@code onError} once if the connection closed meanwhile. {@link #close()} closes the connection.
 */
final class UpgradedOutputStream extends ServletOutputStream {

    private final ByteStream stream;
    private final Executor callbacks;
    private volatile WriteListener listener;
    /** isReady() said no (or the listener was just set): onWritePossible is owed. */
    private final AtomicBoolean owed = new AtomicBoolean();
    private volatile boolean failed;

    UpgradedOutputStream(ByteStream stream, Executor callbacks) {
        this.stream = stream;
        this.callbacks = callbacks;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (listener == null) {
            stream.outputStream().write(b, off, len);
            stream.flush();
            return;
        }
        if (failed || !stream.isOpen()) {
            throw new IOException("the connection is closed");
        }
        ByteBuf data = stream.alloc().ioBuffer(len);
        data.writeBytes(b, off, len);
        stream.write(data);
        stream.flush();
    }

    @Override
    public void flush() {
        stream.flush();
    }

    /** Flushes, then closes the upgraded connection. */
    @Override
    public void close() {
        stream.close();
    }

    @Override
    public boolean isReady() {
        if (listener == null) {
            return true;
        }
        if (failed) {
            return false;
        }
        if (stream.writable()) {
            return true;
        }
        if (owed.compareAndSet(false, true)) {
            stream.onWritable(() -> callbacks.execute(this::writePossible));
        }
        return false;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        Objects.requireNonNull(writeListener, "WriteListener");
        synchronized (this) {
            if (listener != null) {
                throw new IllegalStateException("a WriteListener is already set");
            }
            listener = writeListener;
        }
        owed.set(true);
        stream.onWritable(() -> callbacks.execute(this::writePossible));
    }

    private void writePossible() {
        owed.set(false);
        if (failed) {
            return;
        }
        if (!stream.isOpen()) {
            fail(new IOException("the connection closed while output waited for room"));
            return;
        }
        try {
            listener.onWritePossible();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable failure) {
        failed = true;
        listener.onError(failure);
    }
}
