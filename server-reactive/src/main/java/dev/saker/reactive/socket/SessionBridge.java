package dev.saker.reactive.socket;

import dev.saker.server.websocket.WebSocketHandler;
import dev.saker.server.websocket.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.CoreSubscriber;

/**
 * The engine's handler for one session accepted for a WebFlux {@code WebSocketHandler}: opens the
 * {@link SakerWebSocketSession}, runs the application's handler on it and passes the engine's
 * events on. When the handler's {@code Mono} completes the session closes with 1000, when it fails
 * with 1011 (as on Spring's other servers).
 */
final class SessionBridge implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(SessionBridge.class);

    private final org.springframework.web.reactive.socket.WebSocketHandler handler;
    private final HandshakeInfo info;
    private final DataBufferFactory bufferFactory;
    private SakerWebSocketSession session;

    SessionBridge(org.springframework.web.reactive.socket.WebSocketHandler handler, HandshakeInfo info,
            DataBufferFactory bufferFactory) {
        this.handler = handler;
        this.info = info;
        this.bufferFactory = bufferFactory;
    }

    @Override
    public void onOpen(WebSocketSession engine) {
        session = new SakerWebSocketSession(engine, info, bufferFactory);
        handler.handle(session).subscribe(new HandlerCompletion(session));
    }

    @Override
    public void onText(WebSocketSession engine, String text, boolean last) {
        session.received(new WebSocketMessage(WebSocketMessage.Type.TEXT,
                bufferFactory.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public void onBinary(WebSocketSession engine, ByteBuf data, boolean last) {
        session.received(new WebSocketMessage(WebSocketMessage.Type.BINARY, wrap(data)));
    }

    @Override
    public void onPong(WebSocketSession engine, ByteBuf data) {
        session.received(new WebSocketMessage(WebSocketMessage.Type.PONG, wrap(data)));
    }

    @Override
    public void onError(WebSocketSession engine, Throwable cause) {
        session.failed(cause);
    }

    @Override
    public void onClose(WebSocketSession engine, int code, String reason) {
        session.closed(code, reason);
    }

    /**
     * A heap copy of {@code data}, which the engine releases when the callback returns. Copied, not
     * retained: an application need not release what it receives (on Reactor Netty the server
     * releases after delivery, on Tomcat and Jetty the payload is a heap copy too), so one that
     * never does leaks nothing, and one that releases or passes the message on to {@code send}
     * is fine.
     */
    private org.springframework.core.io.buffer.DataBuffer wrap(ByteBuf data) {
        return bufferFactory.wrap(ByteBufUtil.getBytes(data));
    }

    /** Closes the session when the application's handling ends. */
    private static final class HandlerCompletion implements CoreSubscriber<Void> {

        private final SakerWebSocketSession session;

        HandlerCompletion(SakerWebSocketSession session) {
            this.session = session;
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
            closeIfOpen(CloseStatus.NORMAL);
        }

        @Override
        public void onError(Throwable failure) {
            log.debug("WebSocket handler failed; closing the session with 1011", failure);
            closeIfOpen(CloseStatus.SERVER_ERROR);
        }

        private void closeIfOpen(CloseStatus status) {
            if (session.isOpen()) {
                session.closeNow(status.getCode(), "");
            }
        }
    }
}
