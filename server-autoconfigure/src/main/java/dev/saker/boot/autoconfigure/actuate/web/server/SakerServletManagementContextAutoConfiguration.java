package dev.saker.boot.autoconfigure.actuate.web.server;

import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.server.lifecycle.SakerServer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * With {@code management.server.port} different from the application's, actuator runs in a child
 * context whose web server is Saker too. Primary, so it wins over Tomcat's factory of the same role
 * when Tomcat is still on the class path.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration")
@ConditionalOnClass({SakerServer.class, ManagementContextFactory.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
public final class SakerServletManagementContextAutoConfiguration {

    @Bean
    @Primary
    static ManagementContextFactory sakerServletWebChildContextFactory() {
        return new ManagementContextFactory(WebApplicationType.SERVLET, ServletWebServerFactory.class,
                SakerServletWebServerAutoConfiguration.class, SakerManagementChildContextConfiguration.class);
    }
}
