package dev.saker.server.http2;

import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Counts the DATA bytes a writer off the loop handed over and the loop has not yet written to the
 * stream, and lets a blocking writer wait. The stream channel's writability does not count those
 * bytes until the loop writes them, so a writer that looked only at it could queue any amount
 * ahead of the flow-control window; {@link Http2Exchange} counts them against the channel's
 * high-water mark.
 *
 * <p>Waiting uses a {@link ReentrantLock} condition, so a virtual thread parks without pinning its
 * carrier; the loop takes the lock only when a writer waits.
 */
final class Http2WriteGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean waiting;

    /** Writer side: {@code bytes} are on their way to the loop. */
    void handedOver(int bytes) {
        queued.addAndGet(bytes);
    }

    /** Loop side: bytes handed over reached the stream (or were dropped with it). */
    void arrived(int bytes) {
        queued.addAndGet(-bytes);
        wake();
    }

    /** @return the bytes handed over and not yet written by the loop */
    long queued() {
        return queued.get();
    }

    /** Loop side: the stream's writability changed, or the stream closed. */
    void wake() {
        if (waiting) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until {@code ready} holds (checked again at each {@link #wake()}).
     *
     * @return {@code false} when {@code deadlineNanos} (a {@link System#nanoTime()} value) passed first
     */
    boolean await(BooleanSupplier ready, long deadlineNanos) throws InterruptedIOException {
        if (ready.getAsBoolean()) {
            return true;
        }
        lock.lock();
        try {
            // Set before the condition is checked: a loop that changes it afterwards sees a waiter.
            waiting = true;
            while (!ready.getAsBoolean()) {
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
}
