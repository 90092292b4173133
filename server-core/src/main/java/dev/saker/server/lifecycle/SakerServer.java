package dev.saker.server.lifecycle;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.connection.ConnectionInitializer;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ProtocolSelection;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.http1.Http1Protocol;
import dev.saker.server.http2.Http2Protocol;
import dev.saker.server.http2.H2cUpgrade;
import dev.saker.server.http2.PriorKnowledgeSelection;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.tls.TlsConfig;
import dev.saker.server.tls.TlsMaterial;
import dev.saker.server.tls.TlsProvider;
import dev.saker.server.tls.TlsSelection;
import dev.saker.server.tls.TlsSetupException;
import dev.saker.server.transport.Transport;
import dev.saker.server.transport.TransportKind;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Saker HTTP/1.1 server: event loops on the chosen transport, a listening socket per loop where
 * the OS balances them (SO_REUSEPORT), and a handler. {@link #start()} binds, {@link #stop()} closes
 * everything at once, {@link #shutdownGracefully(Duration)} drains first. A stopped server may be
 * started again.
 */
public final class SakerServer {

    private static final Logger log = LoggerFactory.getLogger(SakerServer.class);

    private final ServerConfig config;
    private final HttpHandler handler;
    private final ServerStats stats = new ServerStats();

    private EventLoopGroup group;
    /** Volatile, as {@link #runtime}: monitoring reads them from other threads. */
    private volatile Dispatcher dispatcher;
    private volatile ServerRuntime runtime;
    private Transport transport;
    private final List<Channel> listeners = new ArrayList<>();
    private volatile AcceptGate acceptGate;
    private volatile TlsSelection tls;
    /** The TLS configuration with the certificates of the last reload: a restart serves those. */
    private TlsConfig tlsConfig;
    private volatile int port = -1;
    private Thread shutdownHook;

    private SakerServer(ServerConfig config, HttpHandler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.tlsConfig = config.tls();
        Dispatcher.checkSupported(config.dispatchMode());
    }

    /**
     * @throws IllegalStateException when the configuration cannot run on this JVM (virtual threads
     *         on JDK 17)
     */
    public static SakerServer create(ServerConfig config, HttpHandler handler) {
        return new SakerServer(config, handler);
    }

    /**
     * Binds every listener and starts serving.
     *
     * @throws ServerStartException naming the address when it cannot be bound
     */
    public synchronized SakerServer start() {
        if (group != null) {
            throw new IllegalStateException("already started on port " + port);
        }
        transport = Transport.resolve(config.transport());
        dispatcher = Dispatcher.create(config.dispatchMode(), config.workerThreads(), config.workerQueueCapacity());
        group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("saker-io", true),
                transport.ioHandlerFactory());
        runtime = new ServerRuntime(config, stats, handler, dispatcher);
        for (EventExecutor loop : group) {
            runtime.addLoop((EventLoop) loop);
        }
        try {
            bind();
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        log.debug("Saker started on {}:{} ({} transport, {} event loops, {} listener{}, {} dispatch)",
                BindAddress.describe(config.host()), port, transport, config.ioThreads(), listeners.size(),
                listeners.size() == 1 ? "" : "s", config.dispatchMode());
        return this;
    }

    private void bind() {
        if (config.port() == ServerConfig.NO_LISTENER) {
            return;
        }
        acceptGate = new AcceptGate(config.maxConnections(), stats);
        ProtocolSelection selection = protocolSelection();
        Listeners binder = new Listeners(config, transport, new ConnectionInitializer(runtime, selection), acceptGate);
        InetSocketAddress requested = BindAddress.of(config.host(), config.port());
        if (transport.listenerPerLoop()) {
            if (config.port() != 0) {
                probe(requested);
            }
            int boundPort = config.port();
            for (EventExecutor loop : group) {
                Channel channel = binder.bindOwn((EventLoop) loop, BindAddress.of(config.host(), boundPort));
                listeners.add(channel);
                boundPort = ((InetSocketAddress) channel.localAddress()).getPort();
            }
            port = boundPort;
        } else {
            Channel channel = binder.bindShared(group, requested);
            listeners.add(channel);
            port = ((InetSocketAddress) channel.localAddress()).getPort();
        }
    }

    private ProtocolSelection protocolSelection() {
        Http2Protocol http2 = config.http2() ? new Http2Protocol(runtime) : null;
        // Upgrade: h2c is for cleartext only (RFC 7540 §3.2); TLS negotiates h2 by ALPN.
        Http1Protocol http1 = new Http1Protocol(runtime,
                http2 != null && tlsConfig == null ? new H2cUpgrade(runtime, http2) : null);
        if (tlsConfig == null) {
            return http2 == null ? ProtocolSelection.cleartext(http1) : new PriorKnowledgeSelection(runtime, http1, http2);
        }
        try {
            tls = new TlsSelection(runtime, tlsConfig, http2 == null ? List.of(http1) : List.of(http2, http1));
        } catch (TlsSetupException e) {
            throw new ServerStartException("cannot start TLS on port " + config.port() + ": " + e.getMessage(), null, e);
        }
        return tls;
    }

    /**
     * Replaces the TLS certificates while serving: every new context is built first, so a refused
     * certificate throws and leaves the current ones serving; then they are swapped in at once. New
     * connections get the new certificates; open connections keep theirs, undisturbed. A restart
     * of this server serves the reloaded certificates too.
     *
     * @param serverNames material by SNI server name (case-insensitive); may be empty
     * @throws IllegalStateException when the server is not running with TLS
     * @throws TlsSetupException when a certificate is refused (the old ones keep serving)
     */
    public synchronized void reloadTls(TlsMaterial defaultMaterial, Map<String, TlsMaterial> serverNames) {
        TlsSelection current = tls;
        if (current == null) {
            throw new IllegalStateException("the server is not running with TLS");
        }
        current.reload(defaultMaterial, serverNames);
        tlsConfig = tlsConfig.withMaterial(defaultMaterial, serverNames);
    }

    /** @return the provider serving TLS ({@code OPENSSL} or {@code JDK}), or {@code null} without TLS or when stopped */
    public TlsProvider tlsProvider() {
        TlsSelection current = tls;
        return current == null ? null : current.provider();
    }

    /**
     * SO_REUSEPORT would let us join another process's listening group silently; binding a plain
     * socket first makes a taken port fail as it should.
     */
    /**
     * Fails when another socket listens on the address (SO_REUSEPORT listeners would otherwise join
     * it). The probe binds without listening: a listening probe takes connections into its backlog
     * for an instant and resets them, with the requests a balancer already sent on them, when it
     * closes (seen in rolling restarts, as the instance came back).
     */
    private static void probe(InetSocketAddress address) {
        try (Socket probe = new Socket()) {
            // With SO_REUSEADDR, Linux refuses the bind only for a listening socket on the address.
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (IOException e) {
            throw new ServerStartException("cannot bind " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage(), address, e instanceof BindException ? e : new BindException(e.getMessage()));
        }
    }

    /** @return the bound port, or -1 when not started or started with no listener (port -1) */
    public int port() {
        return port;
    }

    public ServerConfig config() {
        return config;
    }

    public ServerStats stats() {
        return stats;
    }

    /** @return the transport in use, or {@code null} before the first start */
    public TransportKind transport() {
        return transport == null ? null : transport.kind();
    }

    /**
     * @return whether accepting is paused because {@code maxConnections} connections are open, on
     *         every listener: new connections wait in the backlog until one closes
     */
    public boolean acceptingPaused() {
        AcceptGate gate = acceptGate;
        return gate != null && gate.pauseSettled();
    }

    /** @return the number of listening sockets (one per event loop with SO_REUSEPORT, else one) */
    public synchronized int listenerCount() {
        return listeners.size();
    }

    /** @return worker threads running a handler now (0 for event-loop dispatch or when stopped) */
    public int busyWorkers() {
        Dispatcher d = dispatcher;
        return d == null ? 0 : d.busyThreads();
    }

    /**
     * @return the most worker threads of the dispatch mode: the pool's size, 0 for event-loop
     *         dispatch, and for virtual threads (which have no pool) the most handlers that can run
     *         at once: one per connection, or {@code http2MaxHandlersPerConnection} per connection
     *         with HTTP/2, times {@code maxConnections} (capped at {@code Integer.MAX_VALUE})
     */
    public int maxWorkers() {
        Dispatcher d = dispatcher;
        if (d == null) {
            return 0;
        }
        if (d.mode() == DispatchMode.VIRTUAL_THREADS) {
            long perConnection = config.http2() ? config.http2MaxHandlersPerConnection() : 1;
            return (int) Math.min(Integer.MAX_VALUE, perConnection * config.maxConnections());
        }
        return d.maxThreads();
    }

    /** @return worker threads alive now (pool threads, busy or idle; or virtual threads running a handler) */
    public int currentWorkers() {
        Dispatcher d = dispatcher;
        return d == null ? 0 : d.currentThreads();
    }

    /** @return requests waiting for a worker thread (only the worker pool queues; 0 when stopped) */
    public int queuedRequests() {
        Dispatcher d = dispatcher;
        return d == null ? 0 : d.queued();
    }

    /**
     * @param loop the event loop's number, 0 to {@code ioThreads - 1}
     * @return the connections that event loop serves now (0 when stopped or for no such loop)
     */
    public int connectionsOnLoop(int loop) {
        ServerRuntime rt = runtime;
        LoopContext context = rt == null ? null : rt.loopAt(loop);
        return context == null ? 0 : context.connectionCount();
    }

    public synchronized boolean isRunning() {
        return group != null;
    }

    /**
     * Stops accepting, closes each idle connection once it has been idle for
     * {@link ServerConfig#drainIdleGrace()}, serves what still arrives and lets in-flight requests
     * finish (each answered with {@code Connection: close}), and at the deadline closes whatever is
     * left. Then stops.
     */
    public synchronized ShutdownResult shutdownGracefully(Duration deadline) {
        if (group == null) {
            return new ShutdownResult(true, 0, Duration.ZERO);
        }
        long start = System.nanoTime();
        beginGracefulShutdown();
        long end = start + deadline.toNanos();
        while (stats.connectionsActive() > 0 && System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        int active = stats.connectionsActive() > 0 ? stats.requestsActive() : 0;
        boolean idle = stats.connectionsActive() == 0;
        stop();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Saker graceful shutdown {} after {} ms", idle ? "complete" : "cut short with "
                + active + " active request(s)", took.toMillis());
        return new ShutdownResult(idle, active, took);
    }

    /**
     * Starts a graceful shutdown without waiting: stops accepting, makes every further response
     * close its connection, and closes each idle connection once it has been idle for
     * {@link ServerConfig#drainIdleGrace()} (a request a load balancer is just sending on it is
     * served, not cut). Pair with {@link #awaitIdle(Duration)} and
     * then {@link #stop()} (Spring Boot's graceful-shutdown contract).
     */
    public synchronized void beginGracefulShutdown() {
        if (group == null) {
            return;
        }
        // Listeners first: once responses say Connection: close, a balancer reconnects at once, and
        // a connection still in its TCP handshake with a listener being closed is reset with its
        // request sent (measured: draining first cut 8 to 26 requests per rolling restart). Closed
        // first, a listener refuses new connections, which a balancer retries elsewhere. With epoll
        // it first ignores new SYNs while handshakes under way finish, then what waits in its
        // backlog is accepted and served, not reset (see Transport#closeTakingBacklog).
        log.debug("graceful shutdown: closing {} listener(s)", listeners.size());
        closeListeners(true);
        runtime.startDraining();
        log.debug("graceful shutdown: listeners closed, draining {} connection(s)", stats.connectionsActive());
        forEachConnection(true);
    }

    /**
     * Waits until no connection is open, at most {@code max}; returns early (false) when the server
     * is stopped meanwhile.
     *
     * @return true when the server became idle in time
     */
    public boolean awaitIdle(Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (!isRunning()) {
                return false;
            }
            if (stats.connectionsActive() == 0) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return stats.connectionsActive() == 0;
    }

    /** Closes every listener and connection now and releases the threads. The port is free on return. */
    public synchronized void stop() {
        if (group == null) {
            return;
        }
        runtime.startDraining();
        closeListeners(false);
        forEachConnection(false);
        for (LoopContext loop : runtime.loops()) {
            loop.loop().execute(() -> stopSweep(loop));
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        dispatcher.shutdown(Duration.ofSeconds(1));
        closeTls();
        group = null;
        runtime = null;
        dispatcher = null;
        port = -1;
    }

    /**
     * Releases the TLS contexts (their native memory with OpenSSL) once the event loops are gone:
     * every channel is closed by then, so no handshake can still ask for a context.
     */
    private void closeTls() {
        TlsSelection current = tls;
        tls = null;
        if (current != null) {
            current.close();
        }
    }

    private static void stopSweep(LoopContext loop) {
        loop.stopSweep();
    }

    /**
     * Registers a JVM shutdown hook (SIGTERM, SIGINT, normal exit) that drains the server with the
     * given deadline.
     */
    public synchronized SakerServer registerShutdownHook(Duration deadline) {
        if (shutdownHook == null) {
            shutdownHook = new Thread(() -> shutdownGracefully(deadline), "saker-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return this;
    }

    private void closeListeners(boolean takeBacklog) {
        if (takeBacklog) {
            transport.closeTakingBacklog(listeners);
        } else {
            for (Channel listener : listeners) {
                listener.close().syncUninterruptibly();
            }
        }
        listeners.clear();
    }

    private void forEachConnection(boolean drain) {
        for (LoopContext loop : runtime.loops()) {
            if (drain) {
                loop.loop().submit(loop::drainConnections).syncUninterruptibly();
            } else {
                loop.loop().submit(loop::closeConnections).syncUninterruptibly();
            }
        }
    }

    private void release() {
        for (Channel listener : listeners) {
            listener.close();
        }
        listeners.clear();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        dispatcher.shutdown(Duration.ofSeconds(1));
        closeTls();
        group = null;
        runtime = null;
        dispatcher = null;
        port = -1;
    }
}
