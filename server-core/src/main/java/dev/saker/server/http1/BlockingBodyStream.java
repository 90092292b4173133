package dev.saker.server.http1;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking {@link InputStream} over the request body for handlers on worker or virtual threads.
 *
 * <p>The first read subscribes the stream; from then on the event loop pushes every body byte it
 * has (all the chunks of a read batch in one piece) into the stream's inbox as it arrives, and the
 * reader takes from the inbox without asking the loop again; a waiting reader is woken once per
 * read batch. One hand-off per read batch, not per chunk or per refill. Backpressure: the loop stops pushing once the inbox holds
 * {@code inputHighWater} bytes (and then stops reading the socket once as much again waits in its
 * input); the reader gives it credit back, in one loop task, when it has drained half of that.
 *
 * <p>Waiting uses a {@link ReentrantLock} and its {@link Condition}, not {@code synchronized} and
 * {@code Object.wait}: on JDK 21 to 23 a virtual thread waiting in a monitor pins its carrier
 * thread, so a few readers stalled by slow clients could take every carrier (JDK 24 removed that
 * pinning, JEP 491; the lock works the same on both).
 */
final class BlockingBodyStream extends InputStream {

    private final Http1Connection connection;
    private final int highWater;
    private final int lowWater;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Runnable subscribe;
    private final Runnable credit;

    // guarded by lock
    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>();
    private long inboxBytes;
    private boolean ended;
    private IOException error;
    private boolean subscribed;
    private boolean stalled;
    private boolean waiting;
    /** Bumped when the exchange is over: a reader still waiting from before gives up. */
    private int epoch;

    /** When the reader began waiting for the client (0: not waiting); read by the loop's timeout sweep. */
    private volatile long waitingSince;
    /** The buffer being read; swapped under the lock (the loop releases it when the exchange ends). */
    private ByteBuf current;

    BlockingBodyStream(Http1Connection connection, RequestBodyReader reader, int highWater) {
        this.connection = connection;
        this.highWater = highWater;
        this.lowWater = highWater / 2;
        // On the loop: the first read subscribes; from then on body bytes are pushed to this stream.
        this.subscribe = () -> reader.subscribe(this);
        // On the loop: the reader drained its inbox enough to take more.
        this.credit = reader::credit;
    }

    // ---------------------------------------------------------------- loop side

    /**
     * On the loop: the exchange is over (or a new one begins). Releases what was pushed but not
     * taken and what the reader holds, and wakes a reader still waiting, which then fails: no thread
     * waits forever for a body that will not come.
     */
    void recycle() {
        releaseCurrent();
        lock.lock();
        try {
            releaseInbox();
            ended = false;
            error = null;
            subscribed = false;
            stalled = false;
            epoch++;
            if (waiting) {
                arrived.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the loop: how many more bytes the inbox takes now. At 0 the stream is marked stalled, so
     * the reader gives credit back once it has drained enough.
     */
    int creditOrStall() {
        lock.lock();
        try {
            long room = highWater - inboxBytes;
            if (room <= 0) {
                stalled = true;
                return 0;
            }
            return (int) room;
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the loop: hands over {@code data} (ownership included) and, if {@code last}, the end.
     *
     * @param wake whether to wake a waiting reader now; the loop passes false inside a read batch
     *        and calls {@link #wake()} once when the batch is done
     */
    void offer(ByteBuf data, boolean last, boolean wake) {
        lock.lock();
        try {
            if (data.isReadable()) {
                inbox.add(data);
                inboxBytes += data.readableBytes();
            } else {
                data.release();
            }
            if (last) {
                ended = true;
            }
            if (wake && waiting) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** On the loop: wakes the reader if it waits (the end of a read batch that pushed data). */
    void wake() {
        lock.lock();
        try {
            if (waiting) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** On the loop: the body cannot be read to its end; bytes already pushed are read first. */
    void fail(IOException failure) {
        lock.lock();
        try {
            error = failure;
            if (waiting) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the reader has waited for the client longer than {@code timeoutNanos} */
    boolean waitingLongerThan(long now, long timeoutNanos) {
        long since = waitingSince;
        return since != 0 && now - since > timeoutNanos;
    }

    /** @return whether the loop must wait for credit before pushing more */
    boolean stalled() {
        lock.lock();
        try {
            return stalled;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- reader side

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current.readByte() & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
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
        ByteBuf c = current;
        return c == null ? 0 : c.readableBytes();
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
            if (!takeNext()) {
                return false;
            }
        }
        return true;
    }

    /** Takes the next pushed buffer, waiting for the client if there is none yet; false at the end. */
    private boolean takeNext() throws IOException {
        boolean subscribeNow;
        lock.lock();
        try {
            subscribeNow = !subscribed;
            subscribed = true;
        } finally {
            lock.unlock();
        }
        if (subscribeNow) {
            connection.runOnLoop(subscribe);
        }
        boolean giveCredit = false;
        lock.lock();
        try {
            int myEpoch = epoch;
            while (inbox.isEmpty() && !ended && error == null) {
                awaitData();
                if (epoch != myEpoch) {
                    throw new IOException("the exchange is over");
                }
            }
            ByteBuf next = inbox.poll();
            if (next == null) {
                if (error != null) {
                    throw error;
                }
                return false;
            }
            inboxBytes -= next.readableBytes();
            current = next;
            if (stalled && inboxBytes <= lowWater) {
                stalled = false;
                giveCredit = true;
            }
        } finally {
            lock.unlock();
        }
        if (giveCredit) {
            connection.runOnLoop(credit);
        }
        return true;
    }

    /** Waits (lock held) for the loop's next push; parks a virtual thread without pinning its carrier. */
    private void awaitData() throws InterruptedIOException {
        waiting = true;
        waitingSince = System.nanoTime() | 1;
        try {
            arrived.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the request body");
        } finally {
            waiting = false;
            waitingSince = 0;
        }
    }

    private void releaseInbox() {
        ByteBuf b;
        while ((b = inbox.poll()) != null) {
            b.release();
        }
        inboxBytes = 0;
    }

    /** Releases the reader's buffer once, whichever thread gets here first (reader closing, loop recycling). */
    private void releaseCurrent() {
        ByteBuf held;
        lock.lock();
        try {
            held = current;
            current = null;
        } finally {
            lock.unlock();
        }
        if (held != null) {
            held.release();
        }
    }
}
