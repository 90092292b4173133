package dev.saker.boot.reactive;

import java.util.function.Supplier;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The WebSocket upgrade of a WebFlux application on Saker. The engine does not speak WebSocket yet,
 * so every handshake fails with an {@link UnsupportedOperationException} that says so, instead of
 * Spring picking another server's strategy from the class path (which would fail on Saker's request
 * with a confusing error) or finding none.
 */
public final class SakerRequestUpgradeStrategy implements RequestUpgradeStrategy {

    static final String MESSAGE = "WebSocket is not supported by Saker's reactive server yet: "
            + "run WebSocket endpoints on another server until Saker's WebSocket support lands (see docs/webflux.md)";

    @Override
    public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
                              Supplier<HandshakeInfo> handshakeInfoFactory) {
        return Mono.error(new UnsupportedOperationException(MESSAGE));
    }
}
