package dev.saker.server.http2;

import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.http.RequestBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * The body of one HTTP/2 request. The stream channel does not read on its own: it is asked for
 * DATA frames only when a consumer wants more, and the multiplexer returns a frame's bytes to the
 * flow-control window once it is read, so a slow reader holds the client back. State is touched on
 * the stream's loop only; {@link #read} called elsewhere hops there.
 */
final class Http2RequestBody implements RequestBody {

    private final Channel stream;
    private final long contentLength;
    private final long readTimeoutNanos;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private boolean ended;
    private IOException error;
    private BodyConsumer waiting;
    private HttpHeaders trailers = new MutableHeaders();
    private InputStream input;

    Http2RequestBody(Channel stream, long contentLength, boolean ended, long readTimeoutNanos) {
        this.stream = stream;
        this.contentLength = contentLength;
        this.ended = ended;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public synchronized InputStream asInputStream() {
        if (stream.eventLoop().inEventLoop()) {
            throw new IllegalStateException("a blocking body stream cannot be read on the event loop");
        }
        if (input == null) {
            input = new Http2BodyInputStream(this, readTimeoutNanos);
        }
        return input;
    }

    @Override
    public void read(BodyConsumer consumer) {
        if (stream.eventLoop().inEventLoop()) {
            readOnLoop(consumer);
        } else {
            stream.eventLoop().execute(() -> readOnLoop(consumer));
        }
    }

    @Override
    public HttpHeaders trailers() {
        return trailers;
    }

    // ---- loop side ----

    /** @return whether the client has sent the whole body (or the stream broke) */
    boolean ended() {
        return ended || error != null;
    }

    /** A DATA frame's bytes arrived (owned by this body now). */
    void offer(ByteBuf data, boolean last) {
        if (ended || error != null) {
            data.release();
            return;
        }
        pending.add(data);
        ended = last;
        deliverIfWaiting();
    }

    /**
     * A frame that carries no body bytes (an extension frame, RFC 9113 §5.5) used up the read a
     * waiting consumer asked for: ask for the next one, or that consumer would wait for ever.
     */
    void frameSkipped() {
        if (waiting != null && !ended && error == null) {
            stream.read();
        }
    }

    /** Trailer fields ended the body. */
    void end(HttpHeaders trailerFields) {
        trailers = trailerFields;
        ended = true;
        deliverIfWaiting();
    }

    /** The stream broke (reset, or closed before the body ended): a waiting reader gets {@code cause}. */
    void fail(IOException cause) {
        if (!ended && error == null) {
            error = cause;
            deliverIfWaiting();
        }
        releasePending();
    }

    void releasePending() {
        for (ByteBuf b; (b = pending.poll()) != null; ) {
            b.release();
        }
    }

    private void readOnLoop(BodyConsumer consumer) {
        if (waiting != null) {
            consumer.onError(new IOException("a body read is already pending"));
            return;
        }
        waiting = consumer;
        if (!deliverIfWaiting()) {
            stream.read();
        }
    }

    private boolean deliverIfWaiting() {
        BodyConsumer consumer = waiting;
        if (consumer == null) {
            return false;
        }
        if (!pending.isEmpty() || ended) {
            waiting = null;
            ByteBuf data = takePending();
            try {
                consumer.onData(data, ended);
            } finally {
                data.release();
            }
            return true;
        }
        if (error != null) {
            waiting = null;
            consumer.onError(error);
            return true;
        }
        return false;
    }

    private ByteBuf takePending() {
        if (pending.isEmpty()) {
            return Unpooled.EMPTY_BUFFER;
        }
        if (pending.size() == 1) {
            return pending.poll();
        }
        ByteBuf all = stream.alloc().compositeBuffer(pending.size());
        for (ByteBuf b; (b = pending.poll()) != null; ) {
            ((io.netty.buffer.CompositeByteBuf) all).addComponent(true, b);
        }
        return all;
    }
}
