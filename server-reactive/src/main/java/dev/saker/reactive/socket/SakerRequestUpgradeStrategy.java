package dev.saker.reactive.socket;

import dev.saker.reactive.SakerServerHttpResponse;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.websocket.WebSocketConfig;
import dev.saker.server.websocket.WebSocketHandshake;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * WebFlux's WebSocket upgrade on Saker's reactive server: the engine's own WebSocket
 * ({@code dev.saker.server.websocket}) carries a {@link SakerWebSocketSession}. Spring's
 * {@code HandshakeWebSocketService} has checked the request and chosen the subprotocol; this
 * checks the rest of the opening handshake (version 13, a well-formed key, HTTP/1.1: 426 or 400
 * otherwise), runs the response's commit actions (fields added by filters go out with the 101) and
 * switches the connection.
 *
 * <p>Sessions get the limits of the {@link WebSocketConfig} given here (message sizes, idle, close
 * and write timeouts, permessage-deflate); messages are always delivered whole and pings answered
 * by the engine, and the largest frame accepted is at least the larger message limit.
 */
public final class SakerRequestUpgradeStrategy implements RequestUpgradeStrategy {

    private final WebSocketConfig config;

    /** With the engine's default session settings. */
    public SakerRequestUpgradeStrategy() {
        this(WebSocketConfig.defaults());
    }

    public SakerRequestUpgradeStrategy(WebSocketConfig config) {
        Objects.requireNonNull(config, "config");
        // Messages arrive whole, so a message up to its limit may come in one frame (as in the Jakarta container).
        int largest = Math.max(config.maxTextMessageSize(), config.maxBinaryMessageSize());
        this.config = config.toBuilder().maxFramePayload(Math.max(config.maxFramePayload(), largest))
                .partialText(false).partialBinary(false).autoPong(true).build();
    }

    /** @return the settings each session gets */
    public WebSocketConfig config() {
        return config;
    }

    @Override
    public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
            Supplier<HandshakeInfo> handshakeInfoFactory) {
        ServerHttpResponse response = exchange.getResponse();
        SakerServerHttpResponse saker = sakerResponse(response);
        WebSocketHandshake handshake = WebSocketHandshake.of(saker.<HttpExchange>getNativeResponse());
        if (!handshake.valid()) {
            response.setStatusCode(HttpStatusCode.valueOf(handshake.failureStatus()));
            if (handshake.failureStatus() == 426) {
                response.getHeaders().set("Sec-WebSocket-Version", "13");
            }
            return response.setComplete();
        }
        HandshakeInfo info = handshakeInfoFactory.get();
        SessionBridge bridge = new SessionBridge(handler, info, response.bufferFactory());
        return response.setComplete()
                .then(Mono.fromRunnable(() -> saker.upgrade(handshake.accept(subProtocol, config, bridge))));
    }

    private static SakerServerHttpResponse sakerResponse(ServerHttpResponse response) {
        ServerHttpResponse current = response;
        while (current instanceof ServerHttpResponseDecorator decorator) {
            current = decorator.getDelegate();
        }
        if (current instanceof SakerServerHttpResponse saker) {
            return saker;
        }
        throw new IllegalStateException("SakerRequestUpgradeStrategy needs Saker's reactive server; the response is a "
                + current.getClass().getName());
    }
}
