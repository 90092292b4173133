package dev.saker.server.http2;

import io.netty.channel.Channel;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When the response of one stream may take more DATA: the stream channel is writable (its pending
 * bytes, which include DATA held back by the flow-control window, are under the channel's
 * high-water mark) and the DATA a writer off the loop handed over, which the channel does not count
 * until the loop writes it, fits under that mark too. Without the second count a writer off the
 * loop could queue any amount in loop tasks while the stream still looked writable.
 *
 * <p>A blocking writer waits in {@link #await}; a non-blocking writer leaves a task
 * ({@link #whenWritable}) that runs once: when the stream can take more, when it closes, or after
 * the write timeout (a slot in the connection's {@link StreamWaits}, checked by its sweep), after
 * the gate's {@code onTimeout} reset the stream. Waiting uses a {@link ReentrantLock} condition, so
 * a virtual thread parks without pinning its carrier; the loop takes the lock only when a writer
 * waits.
 */
final class Http2WriteGate {

    private final Channel stream;
    private final StreamWaits waits;
    private final StreamWaits.Wait taskWait;
    private final Runnable onTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean waiting;
    /** The non-blocking writer's task waiting for room; loop only. */
    private Runnable task;

    /**
     * @param onTimeout runs on the loop when a non-blocking writer waited {@code timeoutNanos} in
     *        vain, before its task runs once more
     */
    Http2WriteGate(Channel stream, StreamWaits waits, long timeoutNanos, Runnable onTimeout) {
        this.stream = stream;
        this.waits = waits;
        this.onTimeout = onTimeout;
        this.taskWait = new StreamWaits.Wait(timeoutNanos, this::taskTimedOut);
    }

    /** @return whether the stream can take more: what is queued for the loop fits under its high-water mark */
    boolean writable() {
        return stream.isWritable() && queued.get() < stream.bytesBeforeUnwritable();
    }

    /** Writer side, off the loop: {@code bytes} of DATA are on their way to the loop. */
    void handedOver(int bytes) {
        queued.addAndGet(bytes);
    }

    /** Loop side: bytes handed over reached the stream (or were dropped with it). */
    void arrived(int bytes) {
        queued.addAndGet(-bytes);
        changed();
    }

    /**
     * Loop side: the stream's writability changed, or it closed, or handed-over bytes arrived:
     * wakes a blocked writer, and runs a non-blocking writer's task if it may write now (or the
     * stream is gone).
     */
    void changed() {
        if (waiting) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        Runnable waitingTask = task;
        if (waitingTask != null && (writable() || !stream.isActive())) {
            task = null;
            waits.end(taskWait);
            waitingTask.run();
        }
    }

    /** Loop side: runs {@code writer} now if the stream can take more (or is gone), else once it can. */
    void whenWritable(Runnable writer) {
        if (writable() || !stream.isActive()) {
            writer.run();
        } else {
            task = writer;
            waits.begin(taskWait);
        }
    }

    /** On the loop: the client gave no room for the write timeout; the stream is reset, the task runs once more. */
    private void taskTimedOut() {
        onTimeout.run();
        Runnable waitingTask = task;
        task = null;
        if (waitingTask != null) {
            waitingTask.run();
        }
    }

    /**
     * A blocking writer waits until the stream can take more or is gone (checked again at each
     * {@link #changed()}).
     *
     * @return {@code false} when {@code deadlineNanos} (a {@link System#nanoTime()} value) passed first
     */
    boolean await(long deadlineNanos) throws InterruptedIOException {
        if (ready()) {
            return true;
        }
        lock.lock();
        try {
            // Set before the condition is checked: a loop that changes it afterwards sees a waiter.
            waiting = true;
            while (!ready()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write the response");
        } finally {
            waiting = false;
            lock.unlock();
        }
    }

    private boolean ready() {
        return !stream.isActive() || writable();
    }
}
