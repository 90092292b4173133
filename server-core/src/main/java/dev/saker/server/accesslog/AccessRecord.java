package dev.saker.server.accesslog;

import java.net.InetSocketAddress;

/**
 * What the access log knows of one finished request: immutable, made once on the event loop when the
 * response is complete (or the engine answered the request itself), formatted later on the log's
 * writer thread. Fields the request never had (the method of an unparsable head) are {@code null}.
 *
 * @param remote the client's address
 * @param method the request method, or {@code null}
 * @param target the request target as sent, or {@code null}
 * @param protocol {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}, or {@code null}
 * @param status the response status; 0 when none was sent (an HTTP/2 stream reset)
 * @param bytes response body bytes handed to the connection (headers not counted)
 * @param startEpochMillis when the request began (its first byte), wall clock
 * @param durationNanos from the request's first byte to its response's completion
 * @param reason why the engine answered the request itself (for example {@code bare_lf},
 *        {@code head_too_large}, {@code rejected}), or {@code null} for a request a handler answered
 * @param user the authenticated user a layer above named, or {@code null}
 * @param id this server's sequence number of the request (from 1)
 * @param thread the name of the thread that finished the request (its event loop)
 * @param requestHeaders values of {@link AccessLogSink#requestHeaderNames()}, in that order ({@code null} when absent)
 * @param responseHeaders values of {@link AccessLogSink#responseHeaderNames()}, in that order
 */
public record AccessRecord(InetSocketAddress remote, String method, String target, String protocol, int status,
        long bytes, long startEpochMillis, long durationNanos, String reason, String user, long id, String thread,
        String[] requestHeaders, String[] responseHeaders) {

    /** @return a copy of the captured request header values */
    @Override
    public String[] requestHeaders() {
        return requestHeaders.clone();
    }

    /** @return a copy of the captured response header values */
    @Override
    public String[] responseHeaders() {
        return responseHeaders.clone();
    }

    /** @return the captured value of request header {@code index} of the sink's list, or {@code null} */
    public String requestHeader(int index) {
        return requestHeaders[index];
    }

    /** @return the captured value of response header {@code index} of the sink's list, or {@code null} */
    public String responseHeader(int index) {
        return responseHeaders[index];
    }
}
