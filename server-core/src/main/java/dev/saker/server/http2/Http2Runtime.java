package dev.saker.server.http2;

import dev.saker.server.admission.Admission;
import dev.saker.server.accesslog.AccessRecorder;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServerStats;

/** The server's shared runtime as HTTP/2 connections use it: settings turned into nanoseconds. */
final class Http2Runtime {

    final ServerRuntime shared;
    final ServerConfig config;
    final ServerStats stats;
    final HttpHandler handler;
    final Dispatcher dispatcher;
    /** Null when every admission limit is off. */
    final Admission admission;
    /** Null when the server has no access log. */
    final AccessRecorder accessLog;
    final long keepAliveTimeoutNanos;
    final long writeTimeoutNanos;
    final long bodyReadTimeoutNanos;
    /** How long a draining server keeps a connection with no open stream (after its GOAWAY). */
    final long drainIdleGraceNanos;

    Http2Runtime(ServerRuntime shared) {
        this.shared = shared;
        this.config = shared.config();
        this.stats = shared.stats();
        this.handler = shared.handler();
        this.dispatcher = shared.dispatcher();
        this.admission = shared.admission();
        this.accessLog = shared.accessLog();
        this.keepAliveTimeoutNanos = config.keepAliveTimeout().toNanos();
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        this.bodyReadTimeoutNanos = config.bodyReadTimeout().toNanos();
        this.drainIdleGraceNanos = config.drainIdleGrace().toNanos();
    }
}
