package dev.saker.server.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Backpressure for response writers: streamed chunks that writers off the loop hand over (queued,
 * then written by one loop task per burst), blocking writers waiting while the client does not read,
 * a non-blocking writer's callback for when room appears, and since when the channel has been
 * unwritable (for the write timeout). The only state here shared with other threads.
 */
final class WriteGate {

    /** Streamed chunks a writer may have queued for the loop before it waits. */
    private static final int MAX_QUEUED_CHUNKS = 8;
    private static final long WRITER_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Http1Connection connection;
    private ChannelHandlerContext ctx;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition writable = writeLock.newCondition();
    /** Writers off the loop waiting in {@link #awaitWritable()}; changed under {@code writeLock}, read by the loop. */
    private volatile int waitingWriters;
    private volatile boolean closedFlag;
    private final AtomicInteger queuedChunks = new AtomicInteger();
    private final ConcurrentLinkedQueue<PendingChunk> pendingChunks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean chunkDrainScheduled = new AtomicBoolean();
    private final Runnable chunkDrain = this::drainChunks;
    /** A non-blocking writer's callback, run on the loop when the connection is writable again. */
    private Runnable writableTask;
    private long unwritableSince;

    WriteGate(Http1Connection connection) {
        this.connection = connection;
    }

    /** Binds the gate to its channel; called once, when the handler is added. */
    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Off the loop: queues one streamed piece (and, if {@code last}, the end) of the body for the loop. */
    void queue(Http1Exchange ex, ByteBuf chunk, boolean last) {
        queuedChunks.incrementAndGet();
        pendingChunks.offer(new PendingChunk(ex, chunk, last));
        // One loop task drains whatever a writer queued meanwhile: a streamed body costs a loop
        // wake-up per burst of chunks, not per chunk.
        if (!chunkDrainScheduled.getAndSet(true)) {
            connection.executeOnLoop(chunkDrain);
        }
    }

    /** On the loop: writes the chunks writers queued, in order, then flushes once. */
    private void drainChunks() {
        // Reset before polling: a chunk queued after this point either is polled below or schedules
        // a new drain, which runs before any task its writer submits later.
        chunkDrainScheduled.set(false);
        PendingChunk c;
        while ((c = pendingChunks.poll()) != null) {
            queuedChunks.decrementAndGet();
            connection.streamOnLoop(c.exchange, c.chunk, c.last);
        }
        connection.flushIfNeeded();
        writersMayProceed();
    }

    /** A streamed body chunk handed over by a writer off the loop. */
    private record PendingChunk(Http1Exchange exchange, ByteBuf chunk, boolean last) {
    }

    /**
     * Blocks a writer off the loop while the client is not keeping up. Waits on a
     * {@link Condition}, not a monitor: a virtual thread parks without pinning its carrier on JDK 21
     * to 23 (JEP 491 removed monitor pinning only in JDK 24).
     */
    void awaitWritable() throws IOException {
        if (ctx.executor().inEventLoop()) {
            return;
        }
        if (!writableWithoutWaiting() && !closedFlag) {
            writeLock.lock();
            try {
                // Counted before the state is checked; the loop changes the state before it reads
                // the count (wakeWriters): one of the two sees the other.
                waitingWriters++;
                while (!closedFlag && (queuedChunks.get() > MAX_QUEUED_CHUNKS || !ctx.channel().isWritable())) {
                    // Bounded: a safety net, the loop signals as soon as there is room.
                    writable.awaitNanos(WRITER_RECHECK_NANOS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to write the response");
            } finally {
                waitingWriters--;
                writeLock.unlock();
            }
        }
        if (closedFlag) {
            throw new IOException("connection closed while writing the response");
        }
    }

    /** @return whether a writer off the loop could hand over more output now without waiting */
    boolean writableWithoutWaiting() {
        return !closedFlag && queuedChunks.get() <= MAX_QUEUED_CHUNKS && ctx.channel().isWritable();
    }

    /** On the loop: runs {@code task} now if writable, else once the connection becomes writable. */
    void whenWritable(Runnable task) {
        if (writableWithoutWaiting() || connection.isClosed()) {
            task.run();
        } else {
            writableTask = task;
        }
    }

    /** On the loop: the exchange is over, so is its writer's wait for room. */
    void exchangeEnded() {
        writableTask = null;
    }

    /** On the loop: the channel's writability changed. */
    void writabilityChanged(boolean isWritable) {
        if (isWritable) {
            unwritableSince = 0;
            writersMayProceed();
        } else {
            unwritableSince = System.nanoTime();
        }
    }

    /**
     * On the loop: whether the channel has been unwritable for longer than {@code timeoutNanos}; if
     * so the spell is forgotten (it is reported once).
     */
    boolean unwritableLongerThan(long now, long timeoutNanos) {
        if (unwritableSince != 0 && now - unwritableSince > timeoutNanos) {
            unwritableSince = 0;
            return true;
        }
        return false;
    }

    /** On the loop: the channel is gone; writers waiting or arriving later fail. */
    void closed() {
        closedFlag = true;
        writersMayProceed();
    }

    private void runWritableTask() {
        Runnable task = writableTask;
        if (task != null && (writableWithoutWaiting() || connection.isClosed())) {
            writableTask = null;
            task.run();
        }
    }

    /** Room appeared (or the connection closed): lets blocking and non-blocking writers go on. */
    private void writersMayProceed() {
        wakeWriters();
        runWritableTask();
    }

    /**
     * Wakes writers waiting for room, but only when there is room (or the connection closed): after
     * each chunk the loop writes, a writer still facing a full socket would only wake to wait again.
     */
    private void wakeWriters() {
        if (waitingWriters == 0 || (!closedFlag && !writableWithoutWaiting())) {
            return;
        }
        writeLock.lock();
        try {
            writable.signalAll();
        } finally {
            writeLock.unlock();
        }
    }
}
