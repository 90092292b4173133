package dev.saker.boot;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerStartException;
import dev.saker.server.tls.TlsProvider;
import dev.saker.servlet.SakerServletContainer;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

/**
 * Spring Boot's {@link WebServer} on Saker. Created with the Servlet context already initialized;
 * {@link #start()} binds and runs load-on-startup servlets, {@link #stop()} releases the port and
 * keeps the context (so the server can start again), {@link #destroy()} destroys the context.
 */
public final class SakerWebServer implements WebServer {

    private static final Logger log = LoggerFactory.getLogger(SakerWebServer.class);

    private final SakerServer server;
    private final SakerServletContainer container;
    private final boolean gracefulShutdown;
    private final Object monitor = new Object();
    private boolean started;
    private boolean destroyed;
    private final List<AutoCloseable> closeOnDestroy = new ArrayList<>();
    private volatile Thread shutdownThread;
    private Thread awaitThread;
    private final java.util.List<Runnable> startListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SakerWebServer(SakerServer server, SakerServletContainer container, boolean gracefulShutdown) {
        this.server = server;
        this.container = container;
        this.gracefulShutdown = gracefulShutdown;
    }

    /** Runs {@code listener} each time the server has bound (first start and restarts), before serving is logged. */
    public void addStartListener(Runnable listener) {
        startListeners.add(listener);
    }

    /** @return the engine, for monitoring (stats, transport, worker pool) */
    public SakerServer server() {
        return server;
    }

    public SakerServletContainer container() {
        return container;
    }

    @Override
    public void start() throws WebServerException {
        synchronized (monitor) {
            if (started) {
                return;
            }
            // Persistent sessions saved by a previous stop() come back before the first request.
            container.sessions().load();
            try {
                server.start();
            } catch (ServerStartException e) {
                if (e.isPortInUse()) {
                    throw new PortInUseException(server.config().port(), e.getCause());
                }
                if (e.address() != null) {
                    // Typically server.address is not an address of this host (EADDRNOTAVAIL).
                    throw new WebServerException("Unable to start Saker: " + e.getMessage()
                            + " (check server.address and server.port)", e);
                }
                throw new WebServerException("Unable to start Saker: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new WebServerException("Unable to start Saker: " + e.getMessage(), e);
            }
            startListeners.forEach(Runnable::run);
            try {
                container.startServlets();
            } catch (ServletException | RuntimeException e) {
                server.stop();
                throw new WebServerException("Unable to start Saker: a servlet failed to initialize", e);
            }
            started = true;
            startAwaitThread();
            String contextPath = container.context().getContextPath();
            log.info("Saker started {} with context path '{}' ({} transport, {} event loop{}, {} dispatch)",
                    listenerDescription(),
                    contextPath.isEmpty() ? "/" : contextPath, server.transport().name().toLowerCase(java.util.Locale.ROOT),
                    server.config().ioThreads(), server.config().ioThreads() == 1 ? "" : "s", server.config().dispatchMode());
        }
    }

    /** "on port 8443 (https, openssl TLS)", the TLS provider being the one actually serving. */
    private String listenerDescription() {
        if (server.port() < 0) {
            return "with no listener (server.port=-1)";
        }
        TlsProvider provider = server.tlsProvider();
        return "on port " + server.port() + (provider == null ? " (http)"
                : " (https, " + provider.name().toLowerCase(java.util.Locale.ROOT) + " TLS)");
    }

    @Override
    public void stop() throws WebServerException {
        synchronized (monitor) {
            Thread drain = shutdownThread;
            if (drain != null) {
                drain.interrupt();
            }
            server.stop();
            started = false;
            // Like Tomcat's StandardManager: persistent sessions are saved when the server stops.
            container.sessions().unload();
            Thread await = awaitThread;
            awaitThread = null;
            if (await != null) {
                await.interrupt();
            }
        }
    }

    /**
     * The engine's threads are daemons; like Tomcat, keep one non-daemon thread while serving so the
     * JVM does not exit when {@code main} returns.
     */
    private void startAwaitThread() {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Thread await = new Thread(() -> {
            try {
                // Never counted down: stop() interrupts this thread, which then ends.
                stopped.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }, "saker-await");
        await.setDaemon(false);
        await.start();
        awaitThread = await;
    }

    @Override
    public int getPort() {
        return server.port();
    }

    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        if (!gracefulShutdown) {
            callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
            return;
        }
        log.info("Commencing graceful shutdown. Waiting for active requests to complete");
        server.beginGracefulShutdown();
        Thread drain = new Thread(() -> {
            // Boot bounds the wait (timeout-per-shutdown-phase) and then calls stop(), which ends this.
            boolean idle = server.awaitIdle(Duration.ofDays(1));
            shutdownThread = null;
            if (idle) {
                log.info("Graceful shutdown complete");
                callback.shutdownComplete(GracefulShutdownResult.IDLE);
            } else {
                log.info("Graceful shutdown aborted with one or more requests still active");
                callback.shutdownComplete(GracefulShutdownResult.REQUESTS_ACTIVE);
            }
        }, "saker-shutdown");
        shutdownThread = drain;
        drain.start();
    }

    /** Closes {@code resource} (an access log the factory made for this server) when the server is destroyed. */
    public void closeOnDestroy(AutoCloseable resource) {
        synchronized (monitor) {
            closeOnDestroy.add(resource);
        }
    }

    @Override
    public void destroy() {
        synchronized (monitor) {
            if (destroyed) {
                return;
            }
            destroyed = true;
            stop();
            container.stop();
            for (AutoCloseable resource : closeOnDestroy) {
                try {
                    resource.close();
                } catch (Exception e) {
                    log.warn("Failed to close {} of the web server", resource, e);
                }
            }
        }
    }
}
