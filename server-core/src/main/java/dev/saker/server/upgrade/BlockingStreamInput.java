package dev.saker.server.upgrade;

import dev.saker.server.http.BodyConsumer;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blocking view of a {@link ByteStream}'s input: each time its bytes run out, one
 * {@link ByteStream#read} and a wait for the delivery, so the socket is read only as fast as this
 * stream is. Waits on a {@link Condition}, not a monitor, so a virtual thread does not pin its
 * carrier (JDK 21 to 23). The buffer it reads from is swapped and released under the lock, so the
 * loop can release it when the connection closes, whatever the reading thread does.
 */
final class BlockingStreamInput extends InputStream {

    private final ByteStreamConnection stream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition delivered = lock.newCondition();
    private final BodyConsumer consumer = new BodyConsumer() {
        @Override
        public void onData(ByteBuf data, boolean last) {
            arrive(last ? null : data.retain(), last, null);
        }

        @Override
        public void onError(IOException error) {
            arrive(null, false, error);
        }
    };

    // guarded by lock
    private ByteBuf current;
    private boolean pending;
    private boolean ended;
    private boolean gone;
    private IOException error;

    BlockingStreamInput(ByteStreamConnection stream) {
        this.stream = stream;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (stream.inEventLoop()) {
            throw new IllegalStateException("blocking read on the event loop; use ByteStream.read");
        }
        lock.lock();
        try {
            while (current == null || !current.isReadable()) {
                release();
                if (ended) {
                    return -1;
                }
                if (error != null) {
                    throw new IOException(error.getMessage(), error);
                }
                if (!pending) {
                    pending = true;
                    stream.read(consumer);
                }
                delivered.await();
            }
            int n = Math.min(len, current.readableBytes());
            current.readBytes(b, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return current == null ? 0 : current.readableBytes();
        } finally {
            lock.unlock();
        }
    }

    /** On the loop: one delivery of the read this stream asked for. */
    private void arrive(ByteBuf data, boolean last, IOException failure) {
        lock.lock();
        try {
            pending = false;
            if (gone) {
                if (data != null) {
                    data.release();
                }
                return;
            }
            release();
            current = data;
            ended |= last;
            if (failure != null) {
                error = failure;
            }
            delivered.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** On the loop: the connection closed; bytes not read by now are dropped. */
    void connectionClosed() {
        lock.lock();
        try {
            // The socket is read only once this stream's bytes are used up, so a clean end finds it
            // empty; a reset or the server's close drops the rest, as an unread socket buffer would.
            gone = true;
            release();
            if (!ended && error == null) {
                error = new IOException("connection closed");
            }
            delivered.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            gone = true;
            release();
            if (!ended && error == null) {
                error = new IOException("input closed");
            }
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        if (current != null) {
            current.release();
            current = null;
        }
    }
}
