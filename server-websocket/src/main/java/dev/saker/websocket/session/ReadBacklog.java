package dev.saker.websocket.session;

import dev.saker.server.websocket.WebSocketSession;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bounds the messages of one session that were read but not handled by the application yet: once
 * they add up to more than the limit (each counted as its payload plus {@link #MESSAGE_OVERHEAD}),
 * the engine stops reading; it reads again when the handler has worked the backlog down to the
 * limit. Below the limit a message needs no pause and resume of its own, which would cost two
 * trips to the event loop and two epoll changes per message.
 */
final class ReadBacklog {

    /** What a waiting message counts beyond its payload, so that empty messages are bounded too. */
    static final long MESSAGE_OVERHEAD = 64;

    private final LongSupplier limit;
    /** Cost of the messages handed to the application and not handled yet. */
    private final AtomicLong waiting = new AtomicLong();
    /** Whether reading is paused for the backlog: set on the loop, cleared by the thread that resumes it. */
    private final AtomicBoolean paused = new AtomicBoolean();

    ReadBacklog(LongSupplier limit) {
        this.limit = limit;
    }

    /** @return what a message of {@code payload} bytes (or characters) counts */
    static long cost(int payload) {
        return payload + MESSAGE_OVERHEAD;
    }

    /**
     * A message goes to the application; on the event loop. Past the limit reading stops at once,
     * so no further message arrives until a resume has run on the loop.
     */
    void queued(WebSocketSession ws, long cost) {
        if (waiting.addAndGet(cost) > limit.getAsLong() && paused.compareAndSet(false, true)) {
            ws.pauseReading();
        }
    }

    /**
     * A message was handled; on the application's thread. Every pause comes with a message queued
     * after it, so the last of those to finish sees the backlog at or under the limit and resumes.
     */
    void handled(WebSocketSession ws, long cost) {
        if (waiting.addAndGet(-cost) <= limit.getAsLong() && paused.get() && paused.compareAndSet(true, false)) {
            ws.resumeReading();
        }
    }

    /** @return the cost of the messages waiting for the application */
    long waiting() {
        return waiting.get();
    }
}
