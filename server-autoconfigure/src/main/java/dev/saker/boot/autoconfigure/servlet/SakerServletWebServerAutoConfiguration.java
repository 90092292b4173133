package dev.saker.boot.autoconfigure.servlet;

import dev.saker.boot.SakerServerCustomizer;
import dev.saker.boot.autoconfigure.IgnoredServerPropertiesReporter;
import dev.saker.boot.autoconfigure.SakerServerProperties;
import dev.saker.boot.autoconfigure.SakerVirtualThreadsWebServerFactoryCustomizer;
import dev.saker.boot.autoconfigure.SakerWebServerFactoryCustomizer;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.servlet.SakerServletContainer;
import jakarta.servlet.ServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.servlet.ServletWebServerConfiguration;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of a Saker servlet web server. It runs before Tomcat's and Jetty's, so an
 * application that adds the starter runs on Saker even with Tomcat still on the class path; it backs
 * off when the application defines its own {@link ServletWebServerFactory}.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
        "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration"})
@ConditionalOnClass({ServletRequest.class, SakerServer.class, SakerServletContainer.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({ServerProperties.class, SakerServerProperties.class})
@Import(ServletWebServerConfiguration.class)
public final class SakerServletWebServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(value = ServletWebServerFactory.class, search = SearchStrategy.CURRENT)
    SakerServletWebServerFactory sakerServletWebServerFactory(ObjectProvider<SakerServerCustomizer> customizers) {
        SakerServletWebServerFactory factory = new SakerServletWebServerFactory();
        factory.getServerCustomizers().addAll(customizers.orderedStream().toList());
        return factory;
    }

    @Bean
    SakerWebServerFactoryCustomizer sakerWebServerFactoryCustomizer(Environment environment,
            ServerProperties serverProperties, SakerServerProperties sakerProperties) {
        return new SakerWebServerFactoryCustomizer(environment, serverProperties, sakerProperties);
    }

    @Bean
    SakerServletWebServerFactoryCustomizer sakerServletWebServerFactoryCustomizer(SakerServerProperties sakerProperties) {
        return new SakerServletWebServerFactoryCustomizer(sakerProperties);
    }

    @Bean
    IgnoredServerPropertiesReporter sakerIgnoredServerPropertiesReporter(Environment environment) {
        return new IgnoredServerPropertiesReporter(environment);
    }

    @Bean
    @ConditionalOnThreading(Threading.VIRTUAL)
    SakerVirtualThreadsWebServerFactoryCustomizer sakerVirtualThreadsWebServerFactoryCustomizer() {
        return new SakerVirtualThreadsWebServerFactoryCustomizer();
    }
}
