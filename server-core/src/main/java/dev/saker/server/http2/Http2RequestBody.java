package dev.saker.server.http2;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.http.RequestBody;
import dev.saker.server.observe.TimeoutKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * The body of one HTTP/2 request. The stream channel does not read on its own: it is asked for
 * DATA frames only when a consumer wants more, and the multiplexer returns a frame's bytes to the
 * flow-control window once it is read, so a slow reader holds the client back. The bytes received
 * are counted against {@code maxRequestBodySize} (413 past it, whatever {@code content-length}
 * said), and a read waiting for the client ends after the body read timeout (408). State is
 * touched on the stream's loop only; {@link #read} called elsewhere hops there.
 */
final class Http2RequestBody implements RequestBody {

    private final Channel stream;
    private final Http2Runtime rt;
    private final StreamWaits waits;
    private final StreamWaits.Wait readWait;
    private final long contentLength;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private long received;
    private boolean ended;
    private IOException error;
    private BodyConsumer waiting;
    private HttpHeaders trailers = new MutableHeaders();
    private InputStream input;

    Http2RequestBody(Channel stream, Http2Runtime rt, StreamWaits waits, long contentLength, boolean ended) {
        this.stream = stream;
        this.rt = rt;
        this.waits = waits;
        this.readWait = new StreamWaits.Wait(rt.bodyReadTimeoutNanos, this::readTimedOut);
        this.contentLength = contentLength;
        this.ended = ended;
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
            input = new Http2BodyInputStream(this, rt.bodyReadTimeoutNanos);
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

    /** @return whether the client has sent the whole body (END_STREAM or trailers) */
    boolean clientFinished() {
        return ended;
    }

    /** A DATA frame's bytes arrived (owned by this body now). */
    void offer(ByteBuf data, boolean last) {
        if (ended || error != null) {
            data.release();
            return;
        }
        received += data.readableBytes();
        long limit = rt.config.maxRequestBodySize();
        if (limit >= 0 && received > limit) {
            data.release();
            rt.stats.parseError("body_too_large");
            fail(new BadRequestException(413, "body_too_large", "request body larger than " + limit + " bytes"));
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

    /**
     * The stream is being reset (by either side) or its response ended before the body: a waiting
     * reader gets {@code cause}, and the stream channel reads again so that DATA frames it holds
     * unread reach this failed body, which drops them. A stream channel that still holds frames
     * never closes, so without this the exchange would never end.
     */
    void abandon(IOException cause) {
        fail(cause);
        stream.config().setAutoRead(true);
    }

    private void releasePending() {
        for (ByteBuf b; (b = pending.poll()) != null; ) {
            b.release();
        }
    }

    /**
     * A blocking reader gave up after the body read timeout: the read fails as the sweep would
     * have failed it, counted once.
     */
    void readGivenUp() {
        if (stream.eventLoop().inEventLoop()) {
            expireRead();
        } else {
            stream.eventLoop().execute(this::expireRead);
        }
    }

    private void expireRead() {
        if (readWait.active()) {
            waits.end(readWait);
            readTimedOut();
        }
    }

    /** The client sent nothing for the body read timeout while a reader waited. */
    private void readTimedOut() {
        rt.stats.timeout(TimeoutKind.BODY_READ);
        rt.stats.parseError("body_timeout");
        fail(new BadRequestException(408, "body_timeout", "request body stalled past the body read timeout"));
    }

    private void readOnLoop(BodyConsumer consumer) {
        if (waiting != null) {
            consumer.onError(new IOException("a body read is already pending"));
            return;
        }
        waiting = consumer;
        if (!deliverIfWaiting()) {
            waits.begin(readWait);
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
            waits.end(readWait);
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
            waits.end(readWait);
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
        CompositeByteBuf all = stream.alloc().compositeBuffer(pending.size());
        for (ByteBuf b; (b = pending.poll()) != null; ) {
            all.addComponent(true, b);
        }
        return all;
    }
}
