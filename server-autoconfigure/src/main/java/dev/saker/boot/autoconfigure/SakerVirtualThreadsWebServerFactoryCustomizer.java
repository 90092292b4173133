package dev.saker.boot.autoconfigure;

import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.dispatch.DispatchMode;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/** With {@code spring.threads.virtual.enabled=true}, servlets run on virtual threads. */
public class SakerVirtualThreadsWebServerFactoryCustomizer
        implements WebServerFactoryCustomizer<SakerServletWebServerFactory>, Ordered {

    @Override
    public void customize(SakerServletWebServerFactory factory) {
        factory.setDispatchMode(DispatchMode.VIRTUAL_THREADS);
    }

    @Override
    public int getOrder() {
        return 1;
    }
}
