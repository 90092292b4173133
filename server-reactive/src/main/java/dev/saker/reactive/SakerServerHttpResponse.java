package dev.saker.reactive;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.ResponseHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Spring's reactive response over the engine's {@link HttpExchange}. A body of one buffer (a
 * {@link Mono}) goes out whole with {@link HttpExchange#send(ByteBuf)}: no copy, and a
 * {@code Content-Length} unless the application declared one. Other bodies stream through the
 * exchange's response stream at the pace the client reads ({@link ResponseBodyWriter}), chunked
 * unless a length was declared; {@code writeAndFlushWith} flushes after each inner publisher.
 */
public final class SakerServerHttpResponse extends AbstractServerHttpResponse {

    /**
     * How many of {@code writeAndFlushWith}'s inner publishers (server-sent events, say) are asked
     * for ahead of the one being written, as Reactor Netty does: each write waits for the event loop,
     * and a timer-driven source ({@code Flux.interval}) fails when a tick finds no demand. Spring's
     * event writer makes an event's pooled buffers (an encoded object) only when the event is
     * subscribed to, so the events waiting hold no pooled memory; all are dropped when the client leaves.
     */
    static final int GROUPS_AHEAD = 32;

    private final HttpExchange exchange;
    private OutputStream out;
    private volatile boolean ended;

    SakerServerHttpResponse(HttpExchange exchange, NettyDataBufferFactory factory) {
        // Spring's headers are a view of the engine's: set in place, nothing to copy at commit.
        super(factory, new HttpHeaders(new ResponseHeadersAdapter(exchange.responseHeaders())));
        this.exchange = exchange;
    }

    @Override
    protected void applyStatusCode() {
        HttpStatusCode status = super.getStatusCode();
        if (status != null) {
            exchange.status(status.value());
        }
    }

    @Override
    protected void applyHeaders() {
        // The headers are in the engine already. It frames the body itself (a declared Content-Length
        // it keeps as the size): a Transfer-Encoding from the application goes.
        ResponseHeaders target = exchange.responseHeaders();
        if (target.contains("Transfer-Encoding")) {
            target.remove("Transfer-Encoding");
        }
    }

    @Override
    protected void applyCookies() {
        ResponseHeaders target = exchange.responseHeaders();
        for (List<ResponseCookie> cookies : getCookies().values()) {
            for (ResponseCookie cookie : cookies) {
                target.add("Set-Cookie", cookie.toString());
            }
        }
    }

    @Override
    protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
        if (body instanceof Mono<? extends DataBuffer> single) {
            // Not doOnNext(...).then(): then() hands the buffer to the discard hook, which releases it.
            return single.flatMap(buffer -> {
                sendWhole(buffer);
                return Mono.<Void>empty();
            });
        }
        return stream(body, false);
    }

    @Override
    protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        return Flux.from(body).concatMap(inner -> stream(inner, true), GROUPS_AHEAD).then();
    }

    private void sendWhole(DataBuffer buffer) {
        ended = true;
        // A Netty buffer is handed over as it is; the engine releases it once written.
        exchange.send(NettyDataBufferFactory.toByteBuf(buffer));
    }

    private Mono<Void> stream(Publisher<? extends DataBuffer> body, boolean flushAtEnd) {
        // Buffers the body made but the writer never took (it stopped when the client left) are
        // released where they wait: an event of several buffers, a prefetch queue.
        return Mono.create(sink -> Flux.<DataBuffer>from(body).doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                .subscribe(new ResponseBodyWriter(exchange, output(), sink, flushAtEnd)));
    }

    private synchronized OutputStream output() {
        if (out == null) {
            out = exchange.responseBody();
        }
        return out;
    }

    /** Completes the response once the application is done with it: ends a started stream, else an empty body. */
    void end() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        OutputStream stream;
        synchronized (this) {
            stream = out;
        }
        if (stream != null) {
            stream.close();
        } else {
            exchange.send(Unpooled.EMPTY_BUFFER);
        }
    }

    /** @return whether body bytes may already be on their way: a 500 can no longer replace them */
    synchronized boolean bodyStarted() {
        return ended || out != null || exchange.committed();
    }

    /**
     * Switches the connection to {@code protocol} instead of sending this response (a WebSocket
     * accepted by {@code SakerRequestUpgradeStrategy}): the engine answers {@code 101} with the
     * fields set so far and the exchange ends there. Call it once the response is committed
     * ({@link #setComplete()}), so that the application's commit actions have run.
     *
     * @throws UnsupportedOperationException on a connection that cannot switch (HTTP/2)
     * @throws IllegalStateException when the request asked for no protocol switch or has a body
     */
    public void upgrade(dev.saker.server.connection.UpgradedProtocol protocol) {
        ended = true;
        exchange.upgrade(protocol);
    }

    /** Marks the response as ended by someone else (an abort or a 500 sent by the adapter). */
    void markEnded() {
        ended = true;
    }

    /** @return the engine's {@link HttpExchange} */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getNativeResponse() {
        return (T) exchange;
    }
}
