package dev.saker.boot.servlet;

import dev.saker.server.testing.RawClient;
import dev.saker.server.tls.TlsProvider;
import io.netty.handler.ssl.OpenSsl;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.servlet.ServletContextInitializer;

/**
 * Shared set-up of the factory contract tests: the factory as Boot's auto-configuration creates it
 * (only the port set, to 0, so tests do not clash), servlets, and a raw loopback client.
 */
abstract class FactoryTestSupport {

    protected WebServer webServer;

    @AfterEach
    void destroyServer() {
        if (webServer != null) {
            webServer.destroy();
        }
    }

    static SakerServletWebServerFactory factory() {
        return new SakerServletWebServerFactory(0);
    }

    /**
     * The factory for TLS cases: as Boot creates it (provider AUTO: OpenSSL when it loads) unless the
     * test class runs its cases on a given provider ({@link #provider()}).
     */
    SakerServletWebServerFactory sslFactory() {
        SakerServletWebServerFactory factory = factory();
        if (provider() != TlsProvider.AUTO) {
            factory.setTlsProvider(provider());
        }
        return factory;
    }

    /** @return the TLS provider the test class runs its cases on */
    TlsProvider provider() {
        return TlsProvider.AUTO;
    }

    /** @return the provider that actually serves: AUTO means OpenSSL when it loads */
    TlsProvider expectedProvider() {
        return provider() != TlsProvider.AUTO ? provider() : OpenSsl.isAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK;
    }

    static ServletContextInitializer servlet(String mapping, HttpServlet servlet) {
        return context -> {
            ServletRegistration.Dynamic registration = context.addServlet("servlet" + mapping, servlet);
            registration.addMapping(mapping);
            registration.setAsyncSupported(true);
        };
    }

    static HttpServlet text(String body) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().print(body);
            }
        };
    }

    RawClient.Response get(String path) throws IOException {
        return request("GET", path, "");
    }

    RawClient.Response request(String method, String path, String extraHeaders) throws IOException {
        try (RawClient client = new RawClient(webServer.getPort())) {
            client.send(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders
                    + (method.equals("GET") ? "" : "Content-Length: 0\r\n") + "\r\n");
            return client.read(method.equals("HEAD"));
        }
    }
}
