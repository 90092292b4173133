package dev.saker.boot.autoconfigure.servlet;

import dev.saker.boot.autoconfigure.SakerServerProperties;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Maps the Servlet-only settings onto the Servlet factory: {@code saker.server.servlet.*} with the
 * multipart and parameter limits. Runs first, beside {@code SakerWebServerFactoryCustomizer}, so
 * user customizers see (and may override) the result.
 */
public class SakerServletWebServerFactoryCustomizer implements WebServerFactoryCustomizer<SakerServletWebServerFactory>, Ordered {

    private final SakerServerProperties saker;

    public SakerServletWebServerFactoryCustomizer(SakerServerProperties saker) {
        this.saker = saker;
    }

    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public void customize(SakerServletWebServerFactory factory) {
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
        PropertyMapper.get().from(servlet.getSession()::getMaxActiveSessions)
                .to(max -> factory.setContainerConfig(factory.getContainerConfig().withMaxActiveSessions(max)));
    }
}
