package dev.saker.boot.autoconfigure.websocket;

import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.websocket.WebSocketConfig;
import dev.saker.websocket.SakerWebSocket;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Installs Saker's Jakarta WebSocket container in the web server's context when it starts (as
 * Boot's Tomcat customizer adds Tomcat's {@code WsSci}): the {@code ServerContainer} attribute
 * Spring's {@code StandardWebSocketUpgradeStrategy} and {@code ServerEndpointExporter} look for.
 */
public class SakerWebSocketServletWebServerCustomizer
        implements WebServerFactoryCustomizer<SakerServletWebServerFactory>, Ordered {

    private final WebSocketConfig config;

    public SakerWebSocketServletWebServerCustomizer(WebSocketConfig config) {
        this.config = config;
    }

    @Override
    public void customize(SakerServletWebServerFactory factory) {
        factory.addInitializers(servletContext -> SakerWebSocket.install(servletContext, config));
    }

    @Override
    public int getOrder() {
        return 0;
    }
}
