package dev.saker.boot.autoconfigure.actuate.web.server;

import dev.saker.boot.servlet.SakerServletWebServerFactory;

/** Reaches the package-private customizer of the management child context from other test packages. */
public final class ManagementAccessLogTestSupport {

    public void customize(SakerServletWebServerFactory factory) {
        new SakerManagementAccessLogCustomizer().customize(factory);
    }
}
