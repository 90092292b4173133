package dev.saker.boot;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerStartException;
import dev.saker.server.tls.TlsProvider;
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
 * Spring Boot's {@link WebServer} on Saker, for what it serves (a Servlet context, a reactive
 * handler: an {@link Application}). Created with the application ready; {@link #start()} binds,
 * {@link #stop()} releases the port and keeps the application (so the server can start again),
 * {@link #destroy()} destroys it. Graceful shutdown stops accepting, lets in-flight requests finish
 * and reports whether they did.
 */
public class SakerWebServer implements WebServer {

    /** What a web server runs, told of the server's life so it can load, start and save its own state. */
    public interface Application {

        /** Before each bind (the servlet container loads persisted sessions). */
        void beforeStart();

        /** After each bind, before requests are logged as served (the servlet container starts load-on-startup servlets). */
        void afterStart() throws Exception;

        /** After each unbind (the servlet container saves persistent sessions). */
        void afterStop();

        /** Once, when the web server is destroyed. */
        void destroy();

        /** @return the context path to log, {@code ""} for the root */
        String contextPath();
    }

    private static final Logger log = LoggerFactory.getLogger(SakerWebServer.class);

    private final SakerServer server;
    private final Application application;
    private final boolean gracefulShutdown;
    private final Object monitor = new Object();
    private boolean started;
    private boolean destroyed;
    private final List<AutoCloseable> closeOnDestroy = new ArrayList<>();
    private volatile GracefulDrain drain;
    private Thread awaitThread;
    private final java.util.List<Runnable> startListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SakerWebServer(SakerServer server, Application application, boolean gracefulShutdown) {
        this.server = server;
        this.application = application;
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

    /** @return what this server runs */
    public Application application() {
        return application;
    }

    @Override
    public void start() throws WebServerException {
        synchronized (monitor) {
            if (started) {
                return;
            }
            application.beforeStart();
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
                application.afterStart();
            } catch (Exception e) {
                server.stop();
                throw new WebServerException("Unable to start Saker: the application failed to start", e);
            }
            started = true;
            startAwaitThread();
            String contextPath = application.contextPath();
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
            GracefulDrain cut = drain;
            drain = null;
            if (cut != null) {
                // Decided here, before the connections close: once they are closed the engine is
                // idle, and a drain that looked then would report IDLE for requests cut off.
                cut.report(GracefulShutdownResult.REQUESTS_ACTIVE);
            }
            server.stop();
            started = false;
            application.afterStop();
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
        GracefulDrain pending = new GracefulDrain(callback);
        drain = pending;
        Thread waiter = new Thread(() -> {
            // Boot bounds the wait (timeout-per-shutdown-phase) and then calls stop(), which reports
            // REQUESTS_ACTIVE and so ends this loop.
            while (!pending.reported()) {
                if (server.awaitIdle(Duration.ofMillis(100))) {
                    pending.report(GracefulShutdownResult.IDLE);
                } else if (!server.isRunning()) {
                    pending.report(GracefulShutdownResult.REQUESTS_ACTIVE);
                }
            }
        }, "saker-shutdown");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** One graceful shutdown: its outcome is reported once, by the drain or by {@link #stop()}, whichever comes first. */
    private static final class GracefulDrain {
        private final GracefulShutdownCallback callback;
        private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();

        GracefulDrain(GracefulShutdownCallback callback) {
            this.callback = callback;
        }

        boolean reported() {
            return reported.get();
        }

        void report(GracefulShutdownResult result) {
            if (!reported.compareAndSet(false, true)) {
                return;
            }
            if (result == GracefulShutdownResult.IDLE) {
                log.info("Graceful shutdown complete");
            } else {
                log.info("Graceful shutdown aborted with one or more requests still active");
            }
            callback.shutdownComplete(result);
        }
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
            application.destroy();
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
