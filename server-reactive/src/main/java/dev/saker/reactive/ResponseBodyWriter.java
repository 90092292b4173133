package dev.saker.reactive;

import dev.saker.server.http.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.MonoSink;
import reactor.util.context.Context;

/**
 * Writes a stream of data buffers to the response body, one buffer at a time and only while the
 * connection can take more ({@link HttpExchange#responseWritable()}): when it cannot, the next
 * buffer is asked for once {@link HttpExchange#onResponseWritable(Runnable)} says there is room, so
 * a slow client slows the publisher down instead of filling memory. A writability callback that
 * finds the connection still unwritable means it closed: the client left, the publisher is
 * cancelled and the write fails with {@link ClientGoneException}.
 */
final class ResponseBodyWriter implements CoreSubscriber<DataBuffer> {

    private final HttpExchange exchange;
    private final OutputStream out;
    private final MonoSink<Void> sink;
    private final boolean flushAtEnd;
    private final Runnable writable = this::writable;
    private Subscription subscription;
    private volatile boolean finished;

    ResponseBodyWriter(HttpExchange exchange, OutputStream out, MonoSink<Void> sink, boolean flushAtEnd) {
        this.exchange = exchange;
        this.out = out;
        this.sink = sink;
        this.flushAtEnd = flushAtEnd;
    }

    @Override
    public Context currentContext() {
        return Context.of(sink.contextView());
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        sink.onCancel(s::cancel);
        // Also switches the response stream to non-blocking writes: a publisher thread never waits.
        exchange.onResponseWritable(writable);
    }

    /** Runs on the event loop once there is room, or once the connection closed. */
    private void writable() {
        if (finished) {
            return;
        }
        if (exchange.responseWritable()) {
            subscription.request(1);
        } else {
            finished = true;
            subscription.cancel();
            sink.error(new ClientGoneException());
        }
    }

    @Override
    public void onNext(DataBuffer buffer) {
        if (finished) {
            DataBufferUtils.release(buffer);
            return;
        }
        try {
            write(buffer);
        } catch (IOException | RuntimeException e) {
            finished = true;
            subscription.cancel();
            sink.error(e);
            return;
        } finally {
            DataBufferUtils.release(buffer);
        }
        if (exchange.responseWritable()) {
            subscription.request(1);
        } else {
            exchange.onResponseWritable(writable);
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

    @Override
    public void onError(Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        sink.error(error);
    }

    @Override
    public void onComplete() {
        if (finished) {
            return;
        }
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
