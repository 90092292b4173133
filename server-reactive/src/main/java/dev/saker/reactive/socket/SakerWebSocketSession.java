package dev.saker.reactive.socket;

import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.util.ObjectUtils;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Spring's reactive {@link org.springframework.web.reactive.socket.WebSocketSession} on a session
 * of the engine ({@link dev.saker.server.websocket.WebSocketSession}, the delegate).
 * {@link #receive()} reads as fast as its subscriber asks ({@link ReceivePublisher}); {@link #send}
 * writes as fast as the client reads ({@link SendSubscriber}) and may be called more than once
 * (each message goes out whole, so concurrent sends interleave by message). Pings are answered by
 * the engine and not passed on; pongs are.
 */
public final class SakerWebSocketSession extends AbstractWebSocketSession<dev.saker.server.websocket.WebSocketSession> {

    private final ReceivePublisher inbound;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Sinks.One<CloseStatus> closeStatus = Sinks.one();

    SakerWebSocketSession(dev.saker.server.websocket.WebSocketSession engine, HandshakeInfo info,
            DataBufferFactory bufferFactory) {
        super(engine, ObjectUtils.getIdentityHexString(engine), info, bufferFactory);
        this.inbound = new ReceivePublisher(engine);
    }

    @Override
    public Flux<WebSocketMessage> receive() {
        return Flux.from(inbound);
    }

    @Override
    public Mono<Void> send(Publisher<WebSocketMessage> messages) {
        return Mono.create(sink -> messages.subscribe(new SendSubscriber(getDelegate(), sink, ended)));
    }

    @Override
    public boolean isOpen() {
        return getDelegate().isOpen();
    }

    /**
     * Starts the close handshake with {@code status}. Fails for a code an endpoint may not send
     * (1005, 1006, 1015 and the unassigned ones, RFC 6455 §7.4) or a reason over 123 bytes.
     */
    @Override
    public Mono<Void> close(CloseStatus status) {
        return Mono.fromRunnable(() -> closeNow(status.getCode(), status.getReason()));
    }

    /** Starts the close handshake and keeps reading, so the client's answer is seen even with messages held. */
    void closeNow(int code, String reason) {
        getDelegate().close(code, reason);
        inbound.closing();
    }

    /** @return the close status once the session ended: the client's when it closed first, 1006 when the connection dropped */
    @Override
    public Mono<CloseStatus> closeStatus() {
        return closeStatus.asMono();
    }

    // ---- from the engine, on the event loop ----

    void received(WebSocketMessage message) {
        inbound.onMessage(message);
    }

    /** The connection broke or a callback failed: receive() and send() fail with {@code cause}; {@link #closed} follows. */
    void failed(Throwable cause) {
        inbound.onEnd(cause);
        ended.completeExceptionally(cause);
    }

    void closed(int code, String reason) {
        closeStatus.tryEmitValue(new CloseStatus(code, reason));
        inbound.onEnd(null);
        ended.complete(null);
    }
}
