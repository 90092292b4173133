package dev.saker.boot.autoconfigure.reactive;

import dev.saker.boot.SakerServerCustomizer;
import dev.saker.boot.autoconfigure.IgnoredServerPropertiesReporter;
import dev.saker.boot.autoconfigure.SakerServerProperties;
import dev.saker.boot.autoconfigure.SakerWebServerFactoryCustomizer;
import dev.saker.boot.reactive.SakerReactiveWebServerFactory;
import dev.saker.boot.autoconfigure.websocket.SakerWebSocketProperties;
import dev.saker.reactive.SakerHttpHandlerAdapter;
import dev.saker.reactive.socket.SakerRequestUpgradeStrategy;
import dev.saker.server.lifecycle.SakerServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.reactive.ReactiveWebServerConfiguration;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

/**
 * Auto-configuration of a Saker reactive web server for a WebFlux application. It runs before
 * Reactor Netty's, Tomcat's and Jetty's, so an application with {@code saker-server-reactive} on
 * the class path runs on Saker even with one of them still there; it backs off when the
 * application defines its own {@link ReactiveWebServerFactory}.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
        "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
        "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration"})
@ConditionalOnClass({ReactiveHttpInputMessage.class, SakerServer.class, SakerHttpHandlerAdapter.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties({ServerProperties.class, SakerServerProperties.class})
@Import(ReactiveWebServerConfiguration.class)
public final class SakerReactiveWebServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(value = ReactiveWebServerFactory.class, search = SearchStrategy.CURRENT)
    SakerReactiveWebServerFactory sakerReactiveWebServerFactory(ObjectProvider<SakerServerCustomizer> customizers) {
        SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory();
        factory.getServerCustomizers().addAll(customizers.orderedStream().toList());
        return factory;
    }

    @Bean
    SakerWebServerFactoryCustomizer sakerWebServerFactoryCustomizer(Environment environment,
            ServerProperties serverProperties, SakerServerProperties sakerProperties) {
        return new SakerWebServerFactoryCustomizer(environment, serverProperties, sakerProperties);
    }

    @Bean
    IgnoredServerPropertiesReporter sakerIgnoredServerPropertiesReporter(Environment environment) {
        return new IgnoredServerPropertiesReporter(environment);
    }

    /**
     * WebFlux's WebSocket service on Saker. Spring's {@code HandshakeWebSocketService} finds no
     * strategy for Saker on its own (it looks for Tomcat, Jetty and Reactor Netty classes), so the
     * service WebFlux's configuration registers ({@code webFluxWebSocketHandlerAdapter}) gets
     * Saker's {@link SakerRequestUpgradeStrategy}, whose sessions take their limits from
     * {@code saker.server.websocket.*}. An application's own {@link RequestUpgradeStrategy} bean
     * replaces it (Spring allows only one {@code WebFluxConfigurer} to give the service).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebFluxConfigurer.class, RequestUpgradeStrategy.class})
    @EnableConfigurationProperties(SakerWebSocketProperties.class)
    static final class WebSocketConfiguration {

        @Bean
        @ConditionalOnMissingBean(RequestUpgradeStrategy.class)
        SakerRequestUpgradeStrategy sakerRequestUpgradeStrategy(SakerWebSocketProperties properties) {
            return new SakerRequestUpgradeStrategy(properties.toConfig());
        }

        @Bean
        WebFluxConfigurer sakerWebSocketServiceConfigurer(RequestUpgradeStrategy upgradeStrategy) {
            return new WebFluxConfigurer() {
                @Override
                public WebSocketService getWebSocketService() {
                    return new HandshakeWebSocketService(upgradeStrategy);
                }
            };
        }
    }
}
