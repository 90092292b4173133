package dev.saker.server.upgrade;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blocking view of a {@link ByteStream}'s output: each write is copied into pooled buffers of
 * at most {@link #PIECE} bytes and handed over once the connection is writable, waiting (off the
 * event loop) while it is not, so a client that does not read holds the writer back. It keeps no
 * buffer of its own between calls; {@link #flush()} flushes the connection, {@link #close()}
 * closes it.
 */
final class BlockingStreamOutput extends OutputStream {

    /** The largest buffer handed over at once, so a large write waits for room piece by piece. */
    static final int PIECE = 64 * 1024;
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ByteStreamConnection stream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /** Writers waiting; changed under the lock, read by the loop so it signals only when needed. */
    private volatile int waiting;

    BlockingStreamOutput(ByteStreamConnection stream) {
        this.stream = stream;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            awaitWritable();
            int n = Math.min(len, PIECE);
            ByteBuf piece = stream.alloc().ioBuffer(n);
            piece.writeBytes(b, off, n);
            stream.write(piece);
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() {
        stream.flush();
    }

    /** Flushes, then closes the connection. */
    @Override
    public void close() {
        stream.close();
    }

    private void awaitWritable() throws IOException {
        if (stream.inEventLoop() || stream.writable()) {
            return;
        }
        // Written, not yet flushed, may be what fills the socket buffer: send it before waiting.
        stream.flush();
        lock.lock();
        try {
            waiting++;
            while (stream.isOpen() && !stream.channelWritable()) {
                // Bounded: a safety net, the loop signals as soon as there is room.
                room.awaitNanos(RECHECK_NANOS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write");
        } finally {
            waiting--;
            lock.unlock();
        }
        if (!stream.isOpen()) {
            throw new IOException("connection closed");
        }
    }

    /** On the loop: room appeared or the connection closed. */
    void wake() {
        if (waiting == 0) {
            return;
        }
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
