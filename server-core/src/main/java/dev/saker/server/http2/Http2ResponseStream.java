package dev.saker.server.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streamed response body of one HTTP/2 exchange. Bytes collect in a buffer of
 * {@code responseBufferSize}; a body that closes before the buffer fills goes out whole with a
 * {@code content-length}. Otherwise the first full buffer (or a flush) commits the HEADERS and each
 * further buffer goes out as a DATA frame, a blocking writer waiting while the stream cannot take
 * more ({@link Http2WriteGate}); closing ends the stream. Used by one writer thread at a time;
 * the lock (not a monitor: a writer may park inside, and a virtual thread must not pin its carrier)
 * guards against a misbehaving second one.
 */
final class Http2ResponseStream extends OutputStream {

    private final Http2Exchange exchange;
    private final int bufferSize;
    private final ReentrantLock lock = new ReentrantLock();
    private byte[] buffer;
    private int count;
    private boolean used;
    private boolean streaming;
    private boolean closed;
    private volatile boolean discarded;

    Http2ResponseStream(Http2Exchange exchange, int bufferSize) {
        this.exchange = exchange;
        this.bufferSize = bufferSize;
    }

    boolean used() {
        return used;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            writeLocked(b, off, len);
        } finally {
            lock.unlock();
        }
    }

    private void writeLocked(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        used = true;
        if (buffer == null) {
            buffer = new byte[bufferSize];
        }
        while (len > 0) {
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
            if (count == buffer.length) {
                push(false);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() throws IOException {
        checkOpen();
        used = true;
        push(false);
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked() throws IOException {
        if (closed || discarded) {
            return;
        }
        closed = true;
        used = true;
        if (!streaming && exchange.hasTrailers()) {
            // Trailers need a frame after the body, so even a small body is streamed.
            push(false);
        }
        if (!streaming) {
            ByteBuf whole = count == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(buffer, 0, count);
            buffer = null;
            count = 0;
            exchange.sendWhole(whole);
            return;
        }
        exchange.awaitWritable();
        exchange.writeData(take(), true);
    }

    /** Drops whatever is buffered; later writes fail (the response was aborted). */
    void discard() {
        discarded = true;
    }

    private void push(boolean last) throws IOException {
        if (!streaming) {
            streaming = true;
            exchange.commitStreaming();
        }
        if (count == 0 && !last) {
            return;
        }
        exchange.awaitWritable();
        exchange.writeData(take(), last);
    }

    private ByteBuf take() {
        ByteBuf data = count == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(buffer, 0, count);
        count = 0;
        return data;
    }

    private void checkOpen() throws IOException {
        if (discarded) {
            throw new IOException("the response was aborted");
        }
        if (closed) {
            throw new IOException("the response body is closed");
        }
    }
}
