package dev.saker.server.accesslog;

import dev.saker.server.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's side of the access log: the protocols call {@link #finished} on the event loop once
 * per finished request; it captures only the header values the sink asked for and hands the record
 * over. One per server; a server without an access log has none, so the cost there is a null check.
 */
public final class AccessRecorder {

    private static final String[] NONE = new String[0];

    private final AccessLogSink sink;
    private final String[] requestNames;
    private final String[] responseNames;
    private final AtomicLong ids = new AtomicLong();

    public AccessRecorder(AccessLogSink sink) {
        this.sink = sink;
        this.requestNames = sink.requestHeaderNames().toArray(NONE);
        this.responseNames = sink.responseHeaderNames().toArray(NONE);
    }

    /** @return a recorder for {@code sink}, or {@code null} when there is no sink */
    public static AccessRecorder of(AccessLogSink sink) {
        return sink == null ? null : new AccessRecorder(sink);
    }

    /**
     * Records a finished request, on its event loop.
     *
     * @param startNanos {@link System#nanoTime()} when the request's first byte arrived
     * @param requestHeaders the request's fields, or {@code null} when its head could not be parsed
     * @param responseHeaders the response's fields, or {@code null} for an answer the engine made
     */
    public void finished(InetSocketAddress remote, String method, String target, String protocol, int status,
            long bytes, long startNanos, String reason, HttpHeaders requestHeaders, HttpHeaders responseHeaders,
            String user) {
        long duration = Math.max(0, System.nanoTime() - startNanos);
        long start = System.currentTimeMillis() - duration / 1_000_000;
        sink.log(new AccessRecord(remote, method, target, protocol, status, bytes, start, duration, reason, user,
                ids.incrementAndGet(), Thread.currentThread().getName(), capture(requestNames, requestHeaders),
                capture(responseNames, responseHeaders)));
    }

    private static String[] capture(String[] names, HttpHeaders headers) {
        if (names.length == 0) {
            return NONE;
        }
        String[] values = new String[names.length];
        if (headers != null) {
            for (int i = 0; i < names.length; i++) {
                values[i] = headers.get(names[i]);
            }
        }
        return values;
    }
}
