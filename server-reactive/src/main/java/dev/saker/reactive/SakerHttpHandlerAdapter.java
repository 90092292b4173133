package dev.saker.reactive;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.HttpExchange;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHeadResponseDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * Runs Spring's reactive {@link HttpHandler} (a WebFlux application) as the engine's handler, with
 * no Servlet layer in between. The exchange is made {@code async()} and completed when the
 * handler's {@code Mono} completes. A failure before anything was sent becomes a 500 with an empty
 * body; after that the connection is aborted ({@link HttpExchange#abort(Throwable)}), so the client
 * sees a broken response rather than a short one that looks complete.
 *
 * <p>Meant for {@code DispatchMode.EVENT_LOOP}: nothing here blocks, the request body and the
 * response follow the connection's backpressure, and a reactive application expects to start on
 * the I/O thread (as on Reactor Netty). Application code that blocks must move to another
 * scheduler, as on any reactive server.
 */
public final class SakerHttpHandlerAdapter implements dev.saker.server.http.HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(SakerHttpHandlerAdapter.class);

    private final HttpHandler handler;
    private final NettyDataBufferFactory bufferFactory;
    private final UriCache uris = new UriCache();

    /** @param handler Spring's reactive handler, usually built by {@code WebHttpHandlerBuilder} */
    public SakerHttpHandlerAdapter(HttpHandler handler) {
        this(handler, ByteBufAllocator.DEFAULT);
    }

    /**
     * @param handler Spring's reactive handler
     * @param allocator where response buffers the application allocates come from
     */
    public SakerHttpHandlerAdapter(HttpHandler handler, ByteBufAllocator allocator) {
        this.handler = handler;
        this.bufferFactory = new NettyDataBufferFactory(allocator);
    }

    @Override
    public void handle(HttpExchange exchange) throws BadRequestException {
        // A target that is no valid URI is answered 400 by the engine.
        SakerServerHttpRequest request = new SakerServerHttpRequest(exchange, bufferFactory, uris);
        exchange.async();
        SakerServerHttpResponse response = new SakerServerHttpResponse(exchange, bufferFactory);
        ServerHttpResponse decorated = request.getMethod() == HttpMethod.HEAD
                ? new HttpHeadResponseDecorator(response) : response;
        Mono<Void> handling;
        try {
            handling = handler.handle(request, decorated);
        } catch (RuntimeException e) {
            // A handler that throws instead of returning an error (a bad header value, say): the same 500.
            handling = Mono.error(e);
        }
        handling.subscribe(new Completion(exchange, decorated, response));
    }

    /**
     * Ends the exchange when the application's handling ends, one way or the other. A handler that
     * completes without committing the response (Spring's {@code HttpWebHandlerAdapter} commits it
     * itself; a bare {@code HttpHandler} may not) gets {@code setComplete()} first, so its status,
     * headers and cookies still go out.
     */
    private static final class Completion implements CoreSubscriber<Void> {

        private final HttpExchange exchange;
        private final ServerHttpResponse decorated;
        private final SakerServerHttpResponse response;
        private boolean completing;

        Completion(HttpExchange exchange, ServerHttpResponse decorated, SakerServerHttpResponse response) {
            this.exchange = exchange;
            this.decorated = decorated;
            this.response = response;
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Void unused) {
            // a Mono<Void> emits nothing
        }

        @Override
        public void onComplete() {
            if (!completing && !decorated.isCommitted()) {
                completing = true;
                // The same subscriber again: it runs once more to this point and then ends the exchange.
                decorated.setComplete().subscribe(this);
                return;
            }
            try {
                response.end();
            } catch (Exception e) {
                fail(e);
            }
        }

        @Override
        public void onError(Throwable error) {
            fail(error);
        }

        private void fail(Throwable error) {
            if (response.bodyStarted()) {
                log.debug("reactive handler failed after the response started; aborting it", error);
                response.markEnded();
                exchange.abort(error);
                return;
            }
            log.debug("reactive handler failed before the response started; answering 500", error);
            response.markEnded();
            try {
                exchange.responseHeaders().clear();
                exchange.status(error instanceof BadRequestException bad ? bad.status() : 500);
                exchange.send(Unpooled.EMPTY_BUFFER);
            } catch (IllegalStateException raced) {
                exchange.abort(error);
            }
        }
    }
}
