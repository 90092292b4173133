package dev.saker.reactive.socket;

import dev.saker.server.websocket.WebSocketSession;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.publisher.Operators;

/**
 * The messages of one session as a {@link Publisher} that reads only as fast as its subscriber
 * asks. Messages arrive on the event loop; one that nobody asked for yet is held and the session
 * stops reading ({@link WebSocketSession#pauseReading()}) until the subscriber asks again, so a slow
 * subscriber holds at most that message (and the rest of one socket read, still in the engine) and
 * the client's sends wait in its own buffers. A subscriber that cancelled no longer holds reading
 * back (later messages are dropped), nor does a session the server is closing: the client's close
 * is still seen.
 *
 * <p>One subscriber. Signals are serialized by a drain loop, so {@code request} may come from any
 * thread. Pauses are made on the loop only, when a message was held; resumes may come from the
 * subscriber's thread once the held messages are gone.
 */
final class ReceivePublisher implements Publisher<WebSocketMessage>, Subscription {

    private final WebSocketSession engine;
    private final Queue<WebSocketMessage> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile Subscriber<? super WebSocketMessage> subscriber;
    private volatile boolean cancelled;
    private volatile boolean closing;
    private volatile boolean done;
    private volatile Throwable error;
    private boolean terminated;

    ReceivePublisher(WebSocketSession engine) {
        this.engine = engine;
    }

    @Override
    public void subscribe(Subscriber<? super WebSocketMessage> s) {
        if (!subscribed.compareAndSet(false, true)) {
            Operators.error(s, new IllegalStateException("receive() allows only one subscriber"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            error = new IllegalArgumentException("§3.9: the request must be positive: " + n);
            done = true;
        } else {
            demand.getAndUpdate(current -> Operators.addCap(current, n));
        }
        drain();
    }

    @Override
    public void cancel() {
        cancelled = true;
        drain();
    }

    /** A whole message arrived (event loop). */
    void onMessage(WebSocketMessage message) {
        if (cancelled || done) {
            message.release();
            return;
        }
        queue.offer(message);
        drain();
        if (!queue.isEmpty() && !cancelled && !closing) {
            // Nobody asked for it yet: stop reading until someone does (immediate on the loop).
            paused.set(true);
            engine.pauseReading();
        }
    }

    /**
     * The server started the close handshake: reading must go on so that the client's close frame
     * is seen (the engine drops data messages from now on). Held messages are still delivered on demand.
     */
    void closing() {
        closing = true;
        resumeIfPaused();
    }

    /** The session ended: completes the subscriber once it has taken the held messages ({@code error} null), or fails it. */
    void onEnd(Throwable failure) {
        if (failure != null && error == null) {
            error = failure;
        }
        done = true;
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            Subscriber<? super WebSocketMessage> s = subscriber;
            if (cancelled || (s == null && done)) {
                // Nobody will take them: an ended session with no subscriber drops what it held.
                releaseHeld();
            } else if (s != null && !terminated) {
                emit(s);
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                break;
            }
        }
    }

    private void emit(Subscriber<? super WebSocketMessage> s) {
        long requested = demand.get();
        long emitted = 0;
        while (emitted != requested && !cancelled) {
            WebSocketMessage message = queue.poll();
            if (message == null) {
                break;
            }
            s.onNext(message);
            emitted++;
        }
        if (emitted > 0 && requested != Long.MAX_VALUE) {
            demand.addAndGet(-emitted);
        }
        if (cancelled) {
            releaseHeld();
            return;
        }
        if (queue.isEmpty()) {
            if (done) {
                terminated = true;
                Throwable failure = error;
                if (failure != null) {
                    s.onError(failure);
                } else {
                    s.onComplete();
                }
            } else if (emitted > 0) {
                resumeIfPaused();
            }
        }
    }

    private void releaseHeld() {
        WebSocketMessage message;
        while ((message = queue.poll()) != null) {
            message.release();
        }
        resumeIfPaused();
    }

    private void resumeIfPaused() {
        if (paused.getAndSet(false)) {
            engine.resumeReading();
        }
    }
}
