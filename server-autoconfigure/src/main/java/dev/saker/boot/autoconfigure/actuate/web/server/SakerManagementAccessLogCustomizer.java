package dev.saker.boot.autoconfigure.actuate.web.server;

import dev.saker.boot.AbstractSakerWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Gives the management server (actuator on {@code management.server.port}) its own access log
 * files: {@code management_} before the prefix, as Boot does for Tomcat. Runs in the management
 * child context (Servlet or reactive), after the properties are mapped.
 */
final class SakerManagementAccessLogCustomizer implements WebServerFactoryCustomizer<AbstractSakerWebServerFactory>, Ordered {

    @Override
    public void customize(AbstractSakerWebServerFactory factory) {
        if (factory.getAccessLog() != null) {
            factory.setAccessLog(factory.getAccessLog().forManagement());
        }
    }

    @Override
    public int getOrder() {
        // After SakerWebServerFactoryCustomizer (order 0), which maps saker.server.accesslog.*.
        return 1;
    }
}
