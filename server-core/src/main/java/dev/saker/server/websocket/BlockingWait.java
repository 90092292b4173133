package dev.saker.server.websocket;

import dev.saker.server.observe.CloseReason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits for a send to be written, bounded by the write timeout. A lock and condition rather than
 * a monitor, so a virtual thread waiting here releases its carrier.
 */
final class BlockingWait {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private boolean finished;

    private BlockingWait() {
    }

    static void await(CompletableFuture<Void> send, Duration timeout, ChannelSession session) throws IOException {
        BlockingWait wait = new BlockingWait();
        send.whenComplete((ignored, failure) -> wait.finish());
        if (!wait.awaitFinish(timeout.toNanos())) {
            // The client does not read: the session cannot go on with a message half written.
            session.abort(CloseReason.WRITE_TIMEOUT);
            throw new IOException("WebSocket send not written within " + timeout.toMillis() + " ms");
        }
        try {
            send.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException ? (IOException) cause : new IOException(cause);
        }
    }

    private void finish() {
        lock.lock();
        try {
            finished = true;
            done.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean awaitFinish(long nanos) throws InterruptedIOException {
        lock.lock();
        try {
            long left = nanos;
            while (!finished) {
                if (left <= 0) {
                    return false;
                }
                left = done.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending a WebSocket message");
        } finally {
            lock.unlock();
        }
    }
}
