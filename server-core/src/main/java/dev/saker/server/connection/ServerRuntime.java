package dev.saker.server.connection;

import dev.saker.server.admission.Admission;
import dev.saker.server.accesslog.AccessRecorder;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServerStats;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every connection of one server shares, whatever its protocol: the settings, the handler,
 * the dispatcher, the stats, the per-loop contexts and whether the server is draining.
 */
public final class ServerRuntime {

    private final ServerConfig config;
    private final long drainIdleGraceNanos;
    private final ServerStats stats;
    private final HttpHandler handler;
    private final Dispatcher dispatcher;
    private final Admission admission;
    private final Map<EventLoop, LoopContext> loops = new IdentityHashMap<>();
    /** The same contexts in the order their loops were added: the index is the loop's number in metrics. */
    private final List<LoopContext> ordered = new CopyOnWriteArrayList<>();
    private final AccessRecorder accessLog;
    private volatile boolean draining;
    /** When the drain began ({@link System#nanoTime()}); written before {@link #draining}. */
    private long drainStartedAt;

    public ServerRuntime(ServerConfig config, ServerStats stats, HttpHandler handler, Dispatcher dispatcher) {
        this.config = config;
        this.drainIdleGraceNanos = config.drainIdleGrace().toNanos();
        this.stats = stats;
        this.handler = handler;
        this.dispatcher = dispatcher;
        this.admission = Admission.create(config.admission(), stats.admission());
        this.accessLog = AccessRecorder.of(config.accessLog());
    }

    /** @return the access log's recorder, or {@code null} when the server has no access log */
    public AccessRecorder accessLog() {
        return accessLog;
    }

    public ServerConfig config() {
        return config;
    }

    public ServerStats stats() {
        return stats;
    }

    public HttpHandler handler() {
        return handler;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** @return the admission control, or null when every limit is off */
    public Admission admission() {
        return admission;
    }

    /** Creates the context of {@code loop} and starts its sweep. Call before any connection. */
    public LoopContext addLoop(EventLoop loop) {
        LoopContext context = new LoopContext(loop, dispatcher);
        loops.put(loop, context);
        ordered.add(context);
        context.start(sweepTickMillis());
        return context;
    }

    /** @return the context of {@code loop}; loops are all added before the server accepts */
    public LoopContext loop(EventLoop loop) {
        LoopContext context = loops.get(loop);
        if (context == null) {
            throw new IllegalStateException("event loop " + loop + " has no Saker context");
        }
        return context;
    }

    /** @return the context of the {@code index}-th loop added, or {@code null} when there is none */
    public LoopContext loopAt(int index) {
        return index >= 0 && index < ordered.size() ? ordered.get(index) : null;
    }

    public Iterable<LoopContext> loops() {
        return loops.values();
    }

    /** Marks the server as draining: every response from now on closes its connection. */
    public synchronized void startDraining() {
        if (!draining) {
            drainStartedAt = System.nanoTime();
            draining = true;
        }
    }

    /**
     * When a connection that has been idle since {@code idleSince} may close in the drain: once idle
     * for the grace, counted from the drain's start at the earliest. A connection idle for long
     * when the drain begins is the one a balancer that reuses connections last-in-first-out picks
     * as it runs through its pool; closed at once, it would meet the request just sent on it.
     *
     * @return whether the grace has passed at {@code now}; false while not draining
     */
    public boolean drainGraceOver(long idleSince, long now) {
        return draining && now - Math.max(idleSince, drainStartedAt) >= drainIdleGraceNanos;
    }

    public boolean draining() {
        return draining;
    }

    /** A quarter of the shortest timeout, between 10 ms and 1 s: how late a deadline may be noticed. */
    long sweepTickMillis() {
        Duration shortest = config.headTimeout();
        Duration handshake = config.tls() == null ? shortest : config.tls().handshakeTimeout();
        for (Duration d : new Duration[] {config.keepAliveTimeout(), config.bodyReadTimeout(), config.writeTimeout(),
                handshake, config.drainIdleGrace()}) {
            if (!d.isZero() && d.compareTo(shortest) < 0) {
                shortest = d;
            }
        }
        return Math.max(10, Math.min(1000, shortest.toMillis() / 4));
    }
}
