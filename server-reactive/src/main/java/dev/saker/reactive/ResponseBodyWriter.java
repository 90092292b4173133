package dev.saker.reactive;

import dev.saker.server.http.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.MonoSink;
import reactor.util.context.Context;

/**
 * Writes a stream of data buffers to the response body while the connection can take more
 * ({@link HttpExchange#responseWritable()}). Up to {@value #AHEAD} buffers are asked for ahead and
 * queued here, so a publisher that makes several buffers at once (a server-sent event: its prefix,
 * its data, its end) hands them all over in one go; more are asked for as the queue is written.
 * When the connection cannot take more, writing stops until
 * {@link HttpExchange#onResponseWritable(Runnable)} says there is room: a slow client slows the
 * publisher down, and at most {@value #AHEAD} buffers wait in memory.
 *
 * <p>A writability callback that finds the connection still unwritable means it closed: the client
 * left, the publisher is cancelled, the queued buffers are released and the write fails with
 * {@link ClientGoneException}. Before the cancel, up to {@value #AHEAD} more buffers are asked for,
 * so that what the publisher made already (and would drop on cancel) comes here to be released;
 * buffers arriving after the failure are released as they come.
 *
 * <p>The publisher's signals (any thread, one at a time) and the writability callbacks (the event
 * loop) meet in one drain loop, so the response stream is written by one thread at a time.
 */
final class ResponseBodyWriter implements CoreSubscriber<DataBuffer> {

    /** Buffers asked for ahead of the one being written; more are asked for when half are written. */
    static final int AHEAD = 32;
    private static final int REFILL = AHEAD / 2;

    private final HttpExchange exchange;
    private final OutputStream out;
    private final MonoSink<Void> sink;
    private final boolean flushAtEnd;
    private final Context context;
    private final Queue<DataBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final Runnable started = this::started;
    private final Runnable writable = this::writable;
    private Subscription subscription;
    private volatile boolean done;
    /** The writing Mono was cancelled: nothing is signalled any more, queued buffers are dropped. */
    private volatile boolean cancelled;
    private volatile Throwable upstreamError;
    private volatile boolean inNext;
    /** Failed inside onNext: buffers still arriving are released, and the publisher is cancelled after {@value #AHEAD}. */
    private volatile boolean cancelDeferred;
    private int releasedWhileStopping;
    /** A writability callback ran: the drain checks whether the connection is gone. */
    private volatile boolean woken;
    // Only the drain loop's thread reads and writes these.
    private boolean waiting;
    private boolean finished;
    private int written;

    ResponseBodyWriter(HttpExchange exchange, OutputStream out, MonoSink<Void> sink, boolean flushAtEnd) {
        this.exchange = exchange;
        this.out = out;
        this.sink = sink;
        this.flushAtEnd = flushAtEnd;
        this.context = Context.of(sink.contextView());
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        sink.onCancel(this::cancelled);
        // Also switches the response stream to non-blocking writes: a publisher thread never waits.
        exchange.onResponseWritable(started);
    }

    /** On the event loop, once the stream is non-blocking and there is room (or the connection closed). */
    private void started() {
        if (exchange.responseWritable()) {
            subscription.request(AHEAD);
        } else {
            writable();
        }
    }

    /** On the event loop, once there is room again (or the connection closed). */
    private void writable() {
        woken = true;
        drain();
    }

    @Override
    public void onNext(DataBuffer buffer) {
        if (cancelDeferred) {
            DataBufferUtils.release(buffer);
            if (++releasedWhileStopping == AHEAD) {
                subscription.cancel();
            }
            return;
        }
        queue.offer(buffer);
        inNext = true;
        try {
            drain();
        } finally {
            inNext = false;
        }
    }

    @Override
    public void onError(Throwable error) {
        done = true;
        upstreamError = error;
        drain();
    }

    @Override
    public void onComplete() {
        done = true;
        drain();
    }

    /** The Mono that writes was cancelled (the exchange is being ended): stop asking, drop what is queued. */
    private void cancelled() {
        cancelled = true;
        stopUpstream();
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            if (finished || cancelled) {
                finished = true;
                releaseQueued();
            } else {
                step();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Writes what is queued while there is room, then ends the stream if the publisher is done. */
    private void step() {
        Throwable error = upstreamError;
        if (error != null) {
            // The response is broken either way (it ends in an abort): no point writing what is queued.
            fail(error, false);
            return;
        }
        if (woken) {
            woken = false;
            waiting = false;
            if (!exchange.responseWritable()) {
                fail(new ClientGoneException(), true);
                return;
            }
        }
        DataBuffer buffer;
        while (!waiting && (buffer = queue.peek()) != null) {
            if (!exchange.responseWritable()) {
                waiting = true;
                exchange.onResponseWritable(writable);
                return;
            }
            queue.poll();
            try {
                write(buffer);
            } catch (IOException | RuntimeException e) {
                fail(e, true);
                return;
            } finally {
                DataBufferUtils.release(buffer);
            }
            if (++written == REFILL && !done) {
                written = 0;
                subscription.request(REFILL);
            }
        }
        if (done && queue.isEmpty() && !waiting) {
            finished = true;
            if (flushAtEnd) {
                try {
                    out.flush();
                } catch (IOException e) {
                    sink.error(e);
                    return;
                }
            }
            sink.success();
        }
    }

    private void fail(Throwable error, boolean cancelUpstream) {
        finished = true;
        if (cancelUpstream && !done) {
            stopUpstream();
        }
        releaseQueued();
        sink.error(error);
    }

    /**
     * Cancels the publisher, taking first what it has made already (released as it arrives):
     * {@code Flux.just(...)} drops the buffers it still holds on cancel without releasing them, and
     * Spring's event writer makes an event's buffers that way.
     */
    private void stopUpstream() {
        subscription.request(AHEAD);
        if (inNext) {
            // The publisher goes on emitting only after onNext returns, and a cancel now would stop
            // it first: onNext releases what comes and cancels after that many.
            cancelDeferred = true;
        } else {
            subscription.cancel();
        }
    }

    private void releaseQueued() {
        DataBuffer buffer;
        while ((buffer = queue.poll()) != null) {
            DataBufferUtils.release(buffer);
        }
    }

    private void write(DataBuffer buffer) throws IOException {
        int length = buffer.readableByteCount();
        if (buffer instanceof NettyDataBuffer netty) {
            netty.getNativeBuffer().getBytes(netty.getNativeBuffer().readerIndex(), out, length);
        } else if (length > 0) {
            byte[] bytes = new byte[length];
            buffer.read(bytes);
            out.write(bytes);
        }
    }
}
