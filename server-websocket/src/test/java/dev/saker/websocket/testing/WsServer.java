package dev.saker.websocket.testing;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.websocket.WebSocketConfig;
import dev.saker.servlet.SakerServletContainer;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.context.SakerServletContext;
import dev.saker.websocket.SakerWebSocket;
import dev.saker.websocket.server.SakerServerContainer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import java.util.Set;
import java.util.function.Consumer;

/** A Servlet container with the Jakarta WebSocket container installed, on a real server (loopback, port 0). */
public final class WsServer implements AutoCloseable {

    /** Adds endpoints (or changes the container's defaults) while the context starts. */
    @FunctionalInterface
    public interface Setup {
        void apply(SakerServerContainer container, SakerServletContext context) throws DeploymentException;
    }

    private final SakerServletContainer servlets;
    private final SakerServer server;
    private final SakerServerContainer container;

    private WsServer(SakerServletContainer servlets, SakerServer server, SakerServerContainer container) {
        this.servlets = servlets;
        this.server = server;
        this.container = container;
    }

    public static WsServer start(Setup setup) {
        return start(WebSocketConfig.defaults(), setup);
    }

    public static WsServer start(WebSocketConfig engine, Setup setup) {
        return start(engine, DispatchMode.WORKER_POOL, setup);
    }

    /** @param dispatch how the server runs handlers (sessions then run on its dispatcher, or the container's threads) */
    public static WsServer start(WebSocketConfig engine, DispatchMode dispatch, Setup setup) {
        SakerServletContext context = new SakerServletContext("", WsServer.class.getClassLoader());
        SakerServerContainer[] holder = new SakerServerContainer[1];
        context.addServletContainerInitializer((classes, ctx) -> {
            holder[0] = SakerWebSocket.install(ctx, engine);
            try {
                setup.apply(holder[0], (SakerServletContext) ctx);
            } catch (DeploymentException e) {
                throw new ServletException(e);
            }
        }, Set.of());
        // Saker runs filters for requests a servlet is mapped to (as Boot's DispatcherServlet at "/" is).
        context.addServlet("default", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
                resp.sendError(404);
            }
        }).addMapping("/");
        SakerServletContainer servlets = new SakerServletContainer(context, ServletContainerConfig.defaults());
        try {
            servlets.start();
        } catch (ServletException e) {
            throw new IllegalStateException(e);
        }
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(dispatch).workerThreads(16).build(), servlets).start();
        return new WsServer(servlets, server, holder[0]);
    }

    public int port() {
        return server.port();
    }

    public String url(String path) {
        return "ws://127.0.0.1:" + port() + path;
    }

    public SakerServerContainer container() {
        return container;
    }

    @Override
    public void close() {
        server.stop();
        servlets.stop();
    }
}
