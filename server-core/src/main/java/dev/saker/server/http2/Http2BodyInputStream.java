package dev.saker.server.http2;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.BodyConsumer;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking view of an {@link Http2RequestBody} for a handler on a worker thread: each refill asks
 * the body for one delivery and waits for it (up to the body read timeout). The bytes are copied
 * out of the frame buffers, which go back to the loop at once. Waiting uses a {@link ReentrantLock}
 * condition, not a monitor, so a virtual thread parks without pinning its carrier.
 */
final class Http2BodyInputStream extends InputStream implements BodyConsumer {

    private final Http2RequestBody body;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition delivered = lock.newCondition();
    private byte[] chunk = new byte[0];
    private int position;
    private boolean last;
    private boolean arrived;
    private IOException error;

    Http2BodyInputStream(Http2RequestBody body, long timeoutNanos) {
        this.body = body;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (position == chunk.length) {
                if (last) {
                    return -1;
                }
                refill();
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return chunk.length - position;
        } finally {
            lock.unlock();
        }
    }

    private void refill() throws IOException {
        if (error != null) {
            throw error;
        }
        arrived = false;
        body.read(this);
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            while (!arrived) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    body.readGivenUp();
                    error = new BadRequestException(408, "body_timeout", "request body stalled past the body read timeout");
                    throw error;
                }
                delivered.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the request body");
        }
        if (error != null) {
            throw error;
        }
    }

    @Override
    public void onData(ByteBuf data, boolean end) {
        byte[] copy = new byte[data.readableBytes()];
        data.readBytes(copy);
        lock.lock();
        try {
            chunk = copy;
            position = 0;
            last = end;
            arrived = true;
            delivered.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onError(IOException cause) {
        lock.lock();
        try {
            error = cause;
            arrived = true;
            delivered.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
