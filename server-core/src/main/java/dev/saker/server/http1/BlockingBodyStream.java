package dev.saker.server.http1;

import dev.saker.server.http.BodyConsumer;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A blocking {@link InputStream} over the request body for handlers on worker or virtual threads.
 * Each refill asks the event loop for the next piece and waits for it, so the loop reads from the
 * socket only as fast as this stream is consumed (backpressure without an unbounded queue).
 */
final class BlockingBodyStream extends InputStream implements BodyConsumer {

    private final Http1Connection connection;
    private final Object lock = new Object();
    private ByteBuf current;
    private boolean ended;
    private IOException error;
    private boolean waiting;
    private ByteBuf delivered;
    private boolean deliveredLast;
    private IOException deliveredError;
    private boolean arrived;

    BlockingBodyStream(Http1Connection connection) {
        this.connection = connection;
    }

    /**
     * Called on the loop when the exchange is over: releases what was delivered but not taken and
     * whatever the reader still holds, and wakes a reader still waiting (with an error), so no
     * thread waits forever for a body that will not come.
     */
    void recycle() {
        releaseCurrent();
        synchronized (lock) {
            ended = false;
            error = null;
            if (delivered != null) {
                delivered.release();
                delivered = null;
            }
            if (waiting) {
                deliveredError = new IOException("the exchange is over");
                deliveredLast = false;
                arrived = true;
                lock.notifyAll();
            } else {
                arrived = false;
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.readableBytes());
        current.readBytes(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.readableBytes();
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && fill()) {
            int step = (int) Math.min(n - skipped, current.readableBytes());
            current.skipBytes(step);
            skipped += step;
        }
        return skipped;
    }

    @Override
    public void close() {
        // Closing early is allowed; the engine drains or closes after the response.
        releaseCurrent();
    }

    /** @return true when {@link #current} has bytes; false at the end of the body */
    private boolean fill() throws IOException {
        while (current == null || !current.isReadable()) {
            releaseCurrent();
            if (error != null) {
                throw error;
            }
            if (ended) {
                return false;
            }
            awaitNext();
        }
        return true;
    }

    private void awaitNext() throws IOException {
        synchronized (lock) {
            arrived = false;
            waiting = true;
        }
        connection.runOnLoop(() -> connection.requestBody(this));
        synchronized (lock) {
            try {
                while (!arrived) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the request body");
            } finally {
                waiting = false;
            }
            current = delivered;
            delivered = null;
            ended = deliveredLast;
            error = deliveredError;
            deliveredError = null;
        }
    }

    @Override
    public void onData(ByteBuf data, boolean last) {
        synchronized (lock) {
            delivered = data.retain();
            deliveredLast = last;
            deliveredError = null;
            arrived = true;
            lock.notifyAll();
        }
    }

    @Override
    public void onError(IOException failure) {
        synchronized (lock) {
            delivered = null;
            deliveredLast = false;
            deliveredError = failure;
            arrived = true;
            lock.notifyAll();
        }
    }

    /** Releases the reader's buffer once, whichever thread gets here first (reader closing, loop recycling). */
    private void releaseCurrent() {
        ByteBuf held;
        synchronized (lock) {
            held = current;
            current = null;
        }
        if (held != null) {
            held.release();
        }
    }
}
