package dev.saker.server.http2;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.BodyConsumer;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A blocking view of an {@link Http2RequestBody} for a handler on a worker thread: each refill asks
 * the body for one delivery and waits for it (up to the body read timeout). The bytes are copied
 * out of the frame buffers, which go back to the loop at once.
 */
final class Http2BodyInputStream extends InputStream implements BodyConsumer {

    private final Http2RequestBody body;
    private final long timeoutNanos;
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
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
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
    }

    @Override
    public synchronized int available() {
        return chunk.length - position;
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
                wait(left / 1_000_000, (int) (left % 1_000_000));
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
    public synchronized void onData(ByteBuf data, boolean end) {
        byte[] copy = new byte[data.readableBytes()];
        data.readBytes(copy);
        chunk = copy;
        position = 0;
        last = end;
        arrived = true;
        notifyAll();
    }

    @Override
    public synchronized void onError(IOException cause) {
        error = cause;
        arrived = true;
        notifyAll();
    }
}
