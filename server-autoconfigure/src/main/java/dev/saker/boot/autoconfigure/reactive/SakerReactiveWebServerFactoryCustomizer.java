package dev.saker.boot.autoconfigure.reactive;

import dev.saker.boot.autoconfigure.SakerServerProperties;
import dev.saker.boot.reactive.SakerReactiveWebServerFactory;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Maps the reactive-only settings onto the reactive factory: {@code server.forward-headers-strategy}
 * (deduced from the cloud platform when unset, as for Servlet applications) and
 * {@code saker.server.forwarded.trusted-proxies}. {@code native} makes Saker apply the forwarding
 * fields of trusted proxies itself; {@code framework} leaves them to Spring's
 * {@code ForwardedHeaderTransformer}, which WebFlux's auto-configuration registers. Runs first,
 * beside {@code SakerWebServerFactoryCustomizer}, so user customizers see (and may override) the result.
 */
public class SakerReactiveWebServerFactoryCustomizer implements WebServerFactoryCustomizer<SakerReactiveWebServerFactory>, Ordered {

    private final Environment environment;
    private final ServerProperties serverProperties;
    private final SakerServerProperties saker;

    public SakerReactiveWebServerFactoryCustomizer(Environment environment, ServerProperties serverProperties,
                                                   SakerServerProperties saker) {
        this.environment = environment;
        this.serverProperties = serverProperties;
        this.saker = saker;
    }

    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public void customize(SakerReactiveWebServerFactory factory) {
        factory.setUseForwardHeaders(useForwardHeaders());
        PropertyMapper.get().from(saker.getForwarded()::getTrustedProxies).to(factory::setTrustedProxies);
    }

    /** {@code native}; when unset, on as soon as a cloud platform that fronts applications with a proxy is active. */
    private boolean useForwardHeaders() {
        ServerProperties.ForwardHeadersStrategy strategy = serverProperties.getForwardHeadersStrategy();
        if (strategy == null) {
            CloudPlatform platform = CloudPlatform.getActive(environment);
            return platform != null && platform.isUsingForwardHeaders();
        }
        return strategy == ServerProperties.ForwardHeadersStrategy.NATIVE;
    }
}
