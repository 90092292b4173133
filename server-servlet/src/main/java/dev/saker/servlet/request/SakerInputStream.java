package dev.saker.servlet.request;

import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.RequestBody;
import io.netty.buffer.ByteBuf;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;

/**
 * The request body as a {@link ServletInputStream}. Blocking reads use the engine's body stream
 * (with its backpressure). After {@link #setReadListener} the stream is non-blocking (Servlet 6.1,
 * 5.7): {@link #isReady()} asks the engine for the next piece when none is held, and the listener is
 * told on a container thread when it arrives, when the body ends, or when reading fails.
 */
public final class SakerInputStream extends ServletInputStream {

    private final RequestBody body;
    /** A stream kept past its request must not read the connection's next body. */
    private final RequestLifetime lifetime;
    private final BooleanSupplierWithState asyncCheck;
    private final Executor callbacks;
    /** Bodies up to this size are read into one array by {@link #readNBytes(int)}. */
    private static final long PRESIZE_LIMIT = 8L * 1024 * 1024;
    /** The first array {@link #readNBytes(int)} allocates, before any data says more is coming. */
    private static final int FIRST_ARRAY = 64 * 1024;
    /** How much {@link #readNBytes(int)} grows its array when data filled it. */
    private static final long GROWTH = 4;

    private InputStream blocking;
    private boolean finished;
    /** Bytes returned by blocking reads so far. */
    private long blockingRead;
    /** Bytes kept for a reset, made by the first {@link #mark}. */
    private MarkBuffer mark;

    // non-blocking state, guarded by this
    private ReadListener listener;
    private ByteBuf current;
    private boolean lastSeen;
    private boolean readPending;
    private boolean allDataReadSent;
    private IOException failure;

    /** Tells whether the request is in async mode (non-blocking reads need it). */
    public interface BooleanSupplierWithState {
        boolean asyncStarted();
    }

    public SakerInputStream(RequestBody body, RequestLifetime lifetime, BooleanSupplierWithState asyncCheck,
                            Executor callbacks) {
        this.body = body;
        this.lifetime = lifetime;
        this.asyncCheck = asyncCheck;
        this.callbacks = callbacks;
    }

    private InputStream blocking() {
        if (blocking == null) {
            blocking = body.asInputStream();
        }
        return blocking;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        lifetime.check();
        if (listener != null) {
            return readNonBlocking(b, off, len);
        }
        if (mark != null && mark.available() > 0) {
            return mark.read(b, off, len);
        }
        int n = blocking().read(b, off, len);
        if (n < 0) {
            finished = true;
        } else {
            blockingRead += n;
            if (mark != null) {
                mark.recorded(b, off, n);
            }
        }
        return n;
    }

    /** Blocking mode supports {@code mark}/{@code reset} (see {@link MarkBuffer}). */
    @Override
    public boolean markSupported() {
        return listener == null;
    }

    @Override
    public void mark(int readLimit) {
        if (listener != null) {
            return;
        }
        if (mark == null) {
            mark = new MarkBuffer();
        }
        mark.mark(readLimit);
    }

    @Override
    public void reset() throws IOException {
        if (listener != null || mark == null) {
            throw new IOException("no mark to reset to" + (listener != null ? " (non-blocking mode)" : ""));
        }
        mark.reset();
    }

    private int replayable() {
        return mark == null ? 0 : mark.available();
    }

    /**
     * Reads the rest of a body of declared length into one array of its size, filled straight by the
     * body stream (Spring's {@code byte[]} and {@code String} bodies come this way), where
     * {@link InputStream}'s default fills a list of small pieces, then copies them into the result.
     * The array starts at {@value #FIRST_ARRAY} bytes and grows fourfold each time data fills it: a
     * client that declares a large length and sends nothing holds no more than that, one that sends
     * some holds at most four times what it sent (few growths: each copies and leaves garbage, which
     * costs a 1 MiB upload a fifth of its CPU when doubling). Bodies of unknown
     * length, in non-blocking mode, or larger than {@value #PRESIZE_LIMIT} bytes take the default way.
     */
    @Override
    public byte[] readNBytes(int len) throws IOException {
        lifetime.check();
        long declared = body.contentLength();
        long left = declared - blockingRead + replayable();
        if (len < 0 || listener != null || declared < 0 || left > PRESIZE_LIMIT) {
            return super.readNBytes(len);
        }
        int size = (int) Math.min(len, Math.max(0, left));
        byte[] out = new byte[Math.min(size, FIRST_ARRAY)];
        int n = 0;
        while (n < size) {
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, (int) Math.min(size, GROWTH * out.length));
            }
            int r = read(out, n, out.length - n);
            if (r < 0) {
                return java.util.Arrays.copyOf(out, n);
            }
            n += r;
        }
        if (blockingRead == declared) {
            finished = true;
        }
        return out;
    }

    @Override
    public byte[] readAllBytes() throws IOException {
        return readNBytes(Integer.MAX_VALUE);
    }

    private synchronized int readNonBlocking(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (current != null && current.isReadable()) {
            int n = Math.min(len, current.readableBytes());
            current.readBytes(b, off, n);
            if (!current.isReadable()) {
                releaseCurrent();
                finished = lastSeen;
            }
            return n;
        }
        if (lastSeen) {
            finished = true;
            return -1;
        }
        throw new IllegalStateException("read() without isReady() returning true (non-blocking mode)");
    }

    @Override
    public int available() throws IOException {
        lifetime.check();
        if (listener != null) {
            synchronized (this) {
                return current == null ? 0 : current.readableBytes();
            }
        }
        return replayable() + blocking().available();
    }

    @Override
    public boolean isFinished() {
        return finished && replayable() == 0;
    }

    @Override
    public synchronized boolean isReady() {
        if (listener == null) {
            return true;
        }
        if (failure != null || (current != null && current.isReadable()) || lastSeen) {
            return true;
        }
        requestMore();
        return false;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        if (readListener == null) {
            throw new NullPointerException("ReadListener");
        }
        if (!asyncCheck.asyncStarted()) {
            throw new IllegalStateException("setReadListener needs async mode (startAsync first)");
        }
        synchronized (this) {
            if (listener != null) {
                throw new IllegalStateException("a ReadListener is already set");
            }
            if (blocking != null) {
                throw new IllegalStateException("the body is already being read in blocking mode");
            }
            listener = readListener;
            requestMore();
        }
    }

    /** Asks the engine for the next piece (guarded by this). */
    private void requestMore() {
        if (readPending || lastSeen) {
            return;
        }
        readPending = true;
        body.read(new BodyConsumer() {
            @Override
            public void onData(ByteBuf data, boolean last) {
                synchronized (SakerInputStream.this) {
                    readPending = false;
                    current = data.isReadable() ? data.retain() : null;
                    lastSeen = last;
                }
                callbacks.execute(SakerInputStream.this::notifyListener);
            }

            @Override
            public void onError(IOException error) {
                synchronized (SakerInputStream.this) {
                    readPending = false;
                    failure = error;
                }
                callbacks.execute(() -> listener.onError(error));
            }
        });
    }

    private void notifyListener() {
        boolean dataNow;
        boolean allRead;
        synchronized (this) {
            dataNow = current != null && current.isReadable();
            allRead = !dataNow && lastSeen && !allDataReadSent;
            if (allRead) {
                allDataReadSent = true;
                finished = true;
            }
        }
        try {
            if (dataNow) {
                listener.onDataAvailable();
                synchronized (this) {
                    // The listener read everything it was given and the body ended: say so once.
                    allRead = (current == null || !current.isReadable()) && lastSeen && !allDataReadSent;
                    if (allRead) {
                        allDataReadSent = true;
                        finished = true;
                    }
                }
            }
            if (allRead) {
                listener.onAllDataRead();
            }
        } catch (Throwable t) {
            listener.onError(t);
        }
    }

    private void releaseCurrent() {
        if (current != null) {
            current.release();
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            releaseCurrent();
        }
        if (blocking != null) {
            blocking.close();
        }
    }
}
