package dev.saker.boot.autoconfigure.actuate.web.server;

import dev.saker.boot.autoconfigure.reactive.SakerReactiveWebServerAutoConfiguration;
import dev.saker.reactive.SakerHttpHandlerAdapter;
import dev.saker.server.lifecycle.SakerServer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * With {@code management.server.port} different from the application's, a reactive application's
 * actuator runs in a child context whose web server is Saker too (Boot registers the parent's
 * factory class in the child, and Saker's reactive auto-configuration maps the properties onto
 * it). Primary, so it wins over Reactor Netty's, Tomcat's or Jetty's factory of the same role when
 * one of them is still on the class path.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration",
        "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration",
        "org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration"})
@ConditionalOnClass({SakerServer.class, SakerHttpHandlerAdapter.class, ManagementContextFactory.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
public final class SakerReactiveManagementContextAutoConfiguration {

    @Bean
    @Primary
    static ManagementContextFactory sakerReactiveWebChildContextFactory() {
        return new ManagementContextFactory(WebApplicationType.REACTIVE, ReactiveWebServerFactory.class,
                SakerReactiveWebServerAutoConfiguration.class, SakerManagementChildContextConfiguration.class);
    }
}
