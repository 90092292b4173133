package dev.saker.server.http1;

import dev.saker.server.admission.Admission;
import dev.saker.server.accesslog.AccessRecorder;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServerStats;
import java.nio.charset.StandardCharsets;

/**
 * The server's shared runtime in the form HTTP/1.1 connections want on the hot path: settings
 * turned into nanoseconds and bytes, the precomputed {@code Server} field.
 */
final class Http1Runtime {

    final ServerRuntime shared;
    final ServerConfig config;
    final ServerStats stats;
    final HttpHandler handler;
    final Dispatcher dispatcher;
    /** Null when every admission limit is off. */
    final Admission admission;
    /** Null when the server has no access log. */
    final AccessRecorder accessLog;
    final byte[] serverLine;
    final long headTimeoutNanos;
    final long keepAliveTimeoutNanos;
    final long bodyReadTimeoutNanos;
    final long writeTimeoutNanos;
    /** How long an idle connection of a draining server stays open for a request already on its way. */
    /** Buffered unread input past which reading pauses while a request is in flight. */
    final int inputHighWater;

    Http1Runtime(ServerRuntime shared) {
        this.shared = shared;
        this.config = shared.config();
        this.stats = shared.stats();
        this.handler = shared.handler();
        this.dispatcher = shared.dispatcher();
        this.admission = shared.admission();
        this.accessLog = shared.accessLog();
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

    boolean draining() {
        return shared.draining();
    }

    /** @see ServerRuntime#drainGraceOver(long, long) */
    boolean drainGraceOver(long idleSince, long now) {
        return shared.drainGraceOver(idleSince, now);
    }
}
