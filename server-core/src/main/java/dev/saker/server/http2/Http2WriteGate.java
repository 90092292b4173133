package dev.saker.server.http2;

import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Paces the blocking writer of one stream. Its DATA frames reach the stream on the loop, later
 * than the writer hands them over, so the stream's writability alone would let a fast writer queue
 * any amount ahead of the flow-control window; the writer also waits until the frame it handed over
 * last has reached the stream. At most one buffer is thus held beyond the window.
 *
 * <p>Waiting uses a {@link ReentrantLock} condition, so a virtual thread parks without pinning its
 * carrier; the loop takes the lock only when a writer waits.
 */
final class Http2WriteGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean waiting;

    /** Writer side: a frame is on its way to the loop. */
    void handedOver() {
        inFlight.incrementAndGet();
    }

    /** Loop side: a frame handed over reached the stream (or was dropped with it). */
    void arrived() {
        inFlight.decrementAndGet();
        wake();
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
     * Waits until no frame is on its way to the loop and {@code ready} holds.
     *
     * @return {@code false} when {@code deadlineNanos} (a {@link System#nanoTime()} value) passed first
     */
    boolean await(BooleanSupplier ready, long deadlineNanos) throws InterruptedIOException {
        if (inFlight.get() == 0 && ready.getAsBoolean()) {
            return true;
        }
        lock.lock();
        try {
            // Set before the condition is checked: a loop that changes it afterwards sees a waiter.
            waiting = true;
            while (inFlight.get() > 0 || !ready.getAsBoolean()) {
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
