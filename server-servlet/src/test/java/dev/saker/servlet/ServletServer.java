package dev.saker.servlet;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.tls.TlsConfig;
import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.ServletException;
import java.util.function.Consumer;

/** A Servlet container on a real Saker server (port 0, loopback) for end-to-end tests. */
public final class ServletServer implements AutoCloseable {

    private final SakerServletContainer container;
    private final SakerServer server;

    private ServletServer(SakerServletContainer container, SakerServer server) {
        this.container = container;
        this.server = server;
    }

    public static ServletServer start(String contextPath, Consumer<SakerServletContext> setup) {
        return start(contextPath, ServletContainerConfig.defaults(), setup, c -> { });
    }

    public static ServletServer start(String contextPath, ServletContainerConfig config, Consumer<SakerServletContext> setup,
                                      Consumer<SakerServletContainer> containerSetup) {
        return start(contextPath, config, setup, containerSetup, null);
    }

    /** @param tls the listener's TLS, or {@code null} for cleartext */
    public static ServletServer start(String contextPath, ServletContainerConfig config, Consumer<SakerServletContext> setup,
                                      Consumer<SakerServletContainer> containerSetup, TlsConfig tls) {
        SakerServletContext context = new SakerServletContext(contextPath, ServletServer.class.getClassLoader());
        setup.accept(context);
        SakerServletContainer container = new SakerServletContainer(context, config);
        containerSetup.accept(container);
        try {
            container.start();
        } catch (ServletException e) {
            throw new IllegalStateException(e);
        }
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.WORKER_POOL).workerThreads(16).tls(tls).build(), container).start();
        return new ServletServer(container, server);
    }

    public int port() {
        return server.port();
    }

    public SakerServletContainer container() {
        return container;
    }

    public SakerServer server() {
        return server;
    }

    @Override
    public void close() {
        server.stop();
        container.stop();
    }
}
