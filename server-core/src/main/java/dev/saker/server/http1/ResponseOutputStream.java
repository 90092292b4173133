package dev.saker.server.http1;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The streamed response body. Bytes collect in one buffer of {@code responseBufferSize}; a body
 * that is closed before the buffer first fills goes out whole with a {@code Content-Length}.
 * Otherwise each full buffer (or flush) becomes one chunk handed to the event loop, and a writer
 * off the loop waits while the client is not reading.
 */
final class ResponseOutputStream extends OutputStream {

    private final Http1Connection connection;
    private final WriteGate gate;
    private final Http1Exchange exchange;
    private ByteBuf buffer;
    private boolean used;
    private boolean streaming;
    private boolean closed;
    private volatile boolean nonBlocking;

    ResponseOutputStream(Http1Connection connection, WriteGate gate, Http1Exchange exchange) {
        this.connection = connection;
        this.gate = gate;
        this.exchange = exchange;
    }

    void reset() {
        discard();
        used = false;
        streaming = false;
        closed = false;
        nonBlocking = false;
    }

    /** @return whether the handler has written or flushed through this stream */
    boolean used() {
        return used;
    }

    /** Writes stop waiting for the client: the writer checks writability itself. */
    void nonBlocking() {
        nonBlocking = true;
    }

    /** Drops buffered bytes (after a handler failure). */
    void discard() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        closed = true;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        ensureBuffer();
        buffer.writeByte(b);
        if (!buffer.isWritable()) {
            emit(false);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            ensureBuffer();
            int n = Math.min(len, buffer.writableBytes());
            buffer.writeBytes(b, off, n);
            off += n;
            len -= n;
            if (!buffer.isWritable()) {
                emit(false);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        used = true;
        if (buffer != null && buffer.isReadable() || !exchange.committed()) {
            emit(false);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        used = true;
        closed = true;
        if (!streaming && !exchange.hasTrailers()) {
            ByteBuf whole = buffer;
            buffer = null;
            exchange.sendBuffered(whole);
            return;
        }
        emit(true);
    }

    private void emit(boolean last) throws IOException {
        used = true;
        streaming = true;
        exchange.markCommitted();
        if (last) {
            exchange.markCompleted();
        }
        ByteBuf chunk = buffer;
        buffer = null;
        connection.writeStreamed(exchange, chunk, last);
        if (!last && !nonBlocking) {
            gate.awaitWritable();
        }
    }

    private void ensureBuffer() {
        if (buffer == null) {
            used = true;
            buffer = connection.alloc().buffer(connection.responseBufferSize(), connection.responseBufferSize());
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("response body stream is closed");
        }
    }
}
