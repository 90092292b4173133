package dev.saker.server.http1;

import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServerStats;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Everything the connections of one server share: settings turned into the form the hot path
 * wants (nanoseconds, bytes), the handler, the dispatcher, the stats and the per-loop contexts.
 */
public final class Http1Runtime {

    final ServerConfig config;
    final ServerStats stats;
    final HttpHandler handler;
    final Dispatcher dispatcher;
    final byte[] serverLine;
    final long headTimeoutNanos;
    final long keepAliveTimeoutNanos;
    final long bodyReadTimeoutNanos;
    final long writeTimeoutNanos;
    /** Buffered unread input past which reading pauses while a request is in flight. */
    final int inputHighWater;
    private final Map<EventLoop, LoopContext> loops = new IdentityHashMap<>();
    private volatile boolean draining;

    public Http1Runtime(ServerConfig config, ServerStats stats, HttpHandler handler, Dispatcher dispatcher) {
        this.config = config;
        this.stats = stats;
        this.handler = handler;
        this.dispatcher = dispatcher;
        this.serverLine = config.serverHeader() == null ? null
                : ("Server: " + config.serverHeader() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.headTimeoutNanos = config.headTimeout().toNanos();
        this.keepAliveTimeoutNanos = config.keepAliveTimeout().toNanos();
        this.bodyReadTimeoutNanos = config.bodyReadTimeout().toNanos();
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        // Unread input that pauses socket reads. Also how much body a blocking reader's inbox holds
        // before the loop stops pushing (BlockingBodyStream): a smaller window means more stalls and
        // credit round trips per upload.
        this.inputHighWater = Math.max(256 * 1024, config.maxHeadSize() * 2);
    }

    /** Creates the context of {@code loop} and starts its sweep. Call before any connection. */
    public LoopContext addLoop(EventLoop loop) {
        LoopContext context = new LoopContext(loop, dispatcher);
        loops.put(loop, context);
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

    public Iterable<LoopContext> loops() {
        return loops.values();
    }

    public ServerStats stats() {
        return stats;
    }

    /** Marks the server as draining: every response from now on closes its connection. */
    public void startDraining() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /** A quarter of the shortest timeout, between 10 ms and 1 s: how late a deadline may be noticed. */
    long sweepTickMillis() {
        long shortest = Math.min(Math.min(headTimeoutNanos, keepAliveTimeoutNanos),
                Math.min(bodyReadTimeoutNanos, writeTimeoutNanos)) / 1_000_000L;
        return Math.max(10, Math.min(1000, shortest / 4));
    }
}
