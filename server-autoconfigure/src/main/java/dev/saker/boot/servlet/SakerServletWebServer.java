package dev.saker.boot.servlet;

import dev.saker.boot.SakerWebServer;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.servlet.SakerServletContainer;

/**
 * The web server of a Servlet application: its {@link SakerServletContainer} loads persisted
 * sessions before each start, starts load-on-startup servlets after the bind, saves sessions on
 * stop (as Tomcat's StandardManager does) and is destroyed with the server.
 */
public final class SakerServletWebServer extends SakerWebServer {

    private final SakerServletContainer container;

    public SakerServletWebServer(SakerServer server, SakerServletContainer container, boolean gracefulShutdown) {
        super(server, new ContainerApplication(container), gracefulShutdown);
        this.container = container;
    }

    public SakerServletContainer container() {
        return container;
    }

    private record ContainerApplication(SakerServletContainer container) implements Application {

        @Override
        public void beforeStart() {
            container.sessions().load();
        }

        @Override
        public void afterStart() throws Exception {
            container.startServlets();
        }

        @Override
        public void afterStop() {
            container.sessions().unload();
        }

        @Override
        public void destroy() {
            container.stop();
        }

        @Override
        public String contextPath() {
            return container.context().getContextPath();
        }
    }
}
