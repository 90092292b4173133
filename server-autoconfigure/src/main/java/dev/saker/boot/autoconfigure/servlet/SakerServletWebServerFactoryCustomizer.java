package dev.saker.boot.autoconfigure.servlet;

import dev.saker.boot.autoconfigure.SakerServerProperties;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Maps the Servlet-only settings onto the Servlet factory: {@code server.forward-headers-strategy}
 * (deduced from the cloud platform when unset), {@code saker.server.forwarded.*} and
 * {@code saker.server.servlet.*} with the multipart and parameter limits. Runs first, beside
 * {@code SakerWebServerFactoryCustomizer}, so user customizers see (and may override) the result.
 */
public class SakerServletWebServerFactoryCustomizer implements WebServerFactoryCustomizer<SakerServletWebServerFactory>, Ordered {

    private final Environment environment;
    private final ServerProperties serverProperties;
    private final SakerServerProperties saker;

    public SakerServletWebServerFactoryCustomizer(Environment environment, ServerProperties serverProperties,
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
    public void customize(SakerServletWebServerFactory factory) {
        PropertyMapper map = PropertyMapper.get();
        factory.setUseForwardHeaders(useForwardHeaders());
        map.from(saker.getForwarded()::getTrustedProxies).to(factory::setTrustedProxies);
        SakerServerProperties.Servlet servlet = saker.getServlet();
        factory.setContainerConfig(factory.getContainerConfig()
                .withMaxFormSize(servlet.getMaxFormSize() == null ? -1 : servlet.getMaxFormSize().toBytes())
                .withAsyncTimeout(servlet.getAsyncTimeout())
                .withAllowEncodedSlash(servlet.isAllowEncodedSlash())
                .withUpgradeIdleTimeout(servlet.getUpgradeIdleTimeout())
                .withMaxPartCount(saker.getMaxPartCount())
                .withMaxPartHeaderSize(saker.getMaxPartHeaderSize() == null ? -1
                        : (int) Math.min(Integer.MAX_VALUE, saker.getMaxPartHeaderSize().toBytes()))
                .withMaxParameterCount(saker.getMaxParameterCount()));
        map.from(servlet.getSession()::getMaxActiveSessions)
                .to(max -> factory.setContainerConfig(factory.getContainerConfig().withMaxActiveSessions(max)));
    }

    /**
     * {@code server.forward-headers-strategy=native}; when unset, on as soon as a cloud platform that
     * fronts applications with a proxy is active (Kubernetes, Cloud Foundry ...), as Boot does for Tomcat.
     */
    private boolean useForwardHeaders() {
        ServerProperties.ForwardHeadersStrategy strategy = serverProperties.getForwardHeadersStrategy();
        if (strategy == null) {
            CloudPlatform platform = CloudPlatform.getActive(environment);
            return platform != null && platform.isUsingForwardHeaders();
        }
        return strategy == ServerProperties.ForwardHeadersStrategy.NATIVE;
    }
}
