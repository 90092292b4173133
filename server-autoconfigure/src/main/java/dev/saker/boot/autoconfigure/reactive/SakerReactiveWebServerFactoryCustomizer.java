package dev.saker.boot.autoconfigure.reactive;

import dev.saker.boot.reactive.SakerReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

/**
 * Refuses {@code server.forward-headers-strategy=native} for a reactive application: Saker's
 * reactive server does not read forwarding fields itself yet, and ignoring the setting would leave
 * the application seeing the proxy's address and scheme. {@code framework} (Spring's
 * {@code ForwardedHeaderTransformer}) does the job.
 */
public class SakerReactiveWebServerFactoryCustomizer implements WebServerFactoryCustomizer<SakerReactiveWebServerFactory> {

    private final ServerProperties serverProperties;

    public SakerReactiveWebServerFactoryCustomizer(ServerProperties serverProperties) {
        this.serverProperties = serverProperties;
    }

    @Override
    public void customize(SakerReactiveWebServerFactory factory) {
        if (serverProperties.getForwardHeadersStrategy() == ServerProperties.ForwardHeadersStrategy.NATIVE) {
            throw new IllegalStateException("server.forward-headers-strategy=native is not supported by Saker's reactive "
                    + "server yet: set server.forward-headers-strategy=framework");
        }
    }
}
