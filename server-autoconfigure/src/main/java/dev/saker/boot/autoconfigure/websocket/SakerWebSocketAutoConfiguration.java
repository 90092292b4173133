package dev.saker.boot.autoconfigure.websocket;

import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.websocket.SakerWebSocket;
import jakarta.servlet.Servlet;
import jakarta.websocket.server.ServerContainer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Jakarta WebSocket on Saker, as Boot's WebSocket auto-configuration does for Tomcat and Jetty: when
 * the WebSocket API and {@code saker-server-websocket} are on the class path, each Saker servlet
 * web server gets the container, configured from {@code saker.server.websocket.*}.
 */
@AutoConfiguration(after = SakerServletWebServerAutoConfiguration.class)
@ConditionalOnClass({Servlet.class, ServerContainer.class, SakerWebSocket.class, SakerServletWebServerFactory.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SakerWebSocketProperties.class)
public final class SakerWebSocketAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "sakerWebSocketServletWebServerCustomizer")
    SakerWebSocketServletWebServerCustomizer sakerWebSocketServletWebServerCustomizer(SakerWebSocketProperties properties) {
        return new SakerWebSocketServletWebServerCustomizer(properties.toConfig());
    }
}
