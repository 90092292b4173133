package dev.saker.server.http;

import io.netty.buffer.ByteBuf;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSession;

/**
 * One request and its response, as a handler sees it.
 *
 * <p>Request data is parsed in place from the received bytes; Strings are made on first use.
 * The exchange (and everything it returns) is valid until its response is complete: a connection
 * reuses it for its next request.
 *
 * <p>The response is sent either in one go ({@code send}) with a {@code Content-Length}, or
 * streamed through {@link #responseBody()}: an output that closes before its buffer fills is still
 * sent with a length, otherwise it switches to chunked coding (HTTP/1.1) or to a close-delimited
 * body (HTTP/1.0).
 */
public interface HttpExchange {

    // ---- request line ----

    /** @return the method, e.g. {@code GET}; well-known methods are shared constants */
    String method();

    /** @return the request target exactly as sent (origin, absolute, authority or asterisk form) */
    String rawTarget();

    /** @return the path of the target, still percent-encoded; {@code "*"} for {@code OPTIONS *} */
    String rawPath();

    /** @return the percent-decoded path (UTF-8); {@code %2F} stays a slash here, see {@link #rawPath()} */
    String path();

    /** @return the query string without {@code ?}, still encoded, or {@code null} when absent */
    String rawQuery();

    /** @return query parameters, percent-decoded as UTF-8 ({@code +} is a space), in order, multi-valued */
    Map<String, List<String>> queryParameters();

    /** @return query parameters as sent, not decoded, in order, multi-valued */
    Map<String, List<String>> rawQueryParameters();

    /** @return the first decoded value of query parameter {@code name}, or {@code null} */
    default String queryParameter(String name) {
        List<String> values = queryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** @return {@code HTTP/1.1} or {@code HTTP/1.0} */
    String protocol();

    /**
     * Names the authenticated user of this request, for the access log ({@code %u}): the engine does
     * not authenticate, so a layer above it (the servlet container) names the user once it knows
     * it, before the response completes.
     *
     * @param name the user's name, or {@code null} for none
     */
    void remoteUser(String name);

    /** @return the user named by {@link #remoteUser(String)}, or {@code null} */
    String remoteUser();

    /** @return the host the request is for: from an absolute-form target, else the Host field (port removed) */
    String host();

    // ---- request head and body ----

    /** @return the request header fields */
    HttpHeaders requestHeaders();

    /** @return the request body (empty when the request has none) */
    RequestBody requestBody();

    /** @return the client's address */
    InetSocketAddress remoteAddress();

    /** @return the server address the request arrived on */
    InetSocketAddress localAddress();

    /**
     * @return the TLS session the request arrived on (protocol, cipher suite, peer certificates), or
     *         {@code null} on a cleartext connection
     */
    SSLSession sslSession();

    // ---- response ----

    /** Sets the status (default 200). Must be called before the response is committed. */
    HttpExchange status(int status);

    /** @return the response status set so far */
    int status();

    /** @return the response header fields, editable until commit */
    ResponseHeaders responseHeaders();

    /**
     * Sends {@code body} as the whole response with a {@code Content-Length} and completes it.
     * Takes ownership of the buffer (it is released whatever happens).
     */
    void send(ByteBuf body);

    /** Sends the bytes as the whole response with a {@code Content-Length} and completes it. */
    void send(byte[] body);

    /** Sends the text as UTF-8 with a {@code Content-Length} and completes it. */
    void send(String body);

    /**
     * Answers with a redirect: sets {@code Location} and an empty body and completes the response.
     *
     * @param status a 3xx status (301, 302, 303, 307 or 308)
     * @param location the target, sent as given (already encoded)
     */
    void redirect(int status, String location);

    /**
     * @return a stream for the response body; the response commits when its buffer first fills or
     * it is flushed, and completes when it is closed. Blocks while the client is not reading
     * (except on the event loop, which must not block: loop handlers should write what they have).
     */
    OutputStream responseBody();

    /**
     * Sets trailer fields sent after the body. A body streamed through {@link #responseBody()} then
     * always goes out chunked, however small; {@code send} ignores them (a length leaves no place for
     * them), and so does an HTTP/1.0 response. Must be called before the body completes.
     */
    void trailers(HttpHeaders trailers);

    /**
     * @return whether the response can take more body bytes now without the writer having to wait
     *         (the client is keeping up); for non-blocking writers
     */
    boolean responseWritable();

    /**
     * Runs {@code task} once the response can take more bytes without waiting: at once if it can
     * now. The task runs on the event loop and must not block. Calling this switches
     * {@link #responseBody()} to non-blocking: its writes no longer wait for the client, so the
     * caller must check {@link #responseWritable()} before writing.
     */
    void onResponseWritable(Runnable task);

    /** @return whether the status line and headers have been handed to the connection */
    boolean committed();

    /**
     * Aborts the response: it will never complete. Bytes not yet handed to the connection are
     * dropped; what was already sent stays sent, and the connection then closes without ending the
     * body (no final chunk, or fewer bytes than the declared {@code Content-Length}), so the client
     * sees a broken response, never a truncated one that looks complete. Before commit the
     * connection closes without a response. Use it when a handler fails after committing (as
     * Tomcat and Jetty do); a handler that throws after commit gets the same treatment. Later
     * writes to {@link #responseBody()} fail with an {@code IOException}. Like a completed
     * response, an aborted one ends the exchange: do not read the request after this call. No
     * effect once the response is complete.
     *
     * @param cause why, for debug logging (may be {@code null})
     */
    void abort(Throwable cause);

    /**
     * Runs {@code listener} once if the client goes away before the response completes, so that a
     * handler holding a response open (long polling, a stream of events) learns it at once rather
     * than at its next write. Gone means: the connection closed or broke; an HTTP/2 stream was
     * reset; or, on HTTP/1.1, the client closed its sending side (FIN) after this request's body
     * with nothing sent behind it. Browsers and HTTP clients never half-close while they wait for a
     * response, so that is taken as the client leaving, as nginx takes it; the response may still be
     * written, and the connection closes after it. The listener runs on the event loop and must not
     * block; if the client has gone already it runs at once, on the caller's thread. One listener per
     * exchange, set while the exchange is open.
     *
     * @throws IllegalStateException if a listener is already set
     */
    void onClientGone(Runnable listener);

    /**
     * Keeps the response open after the handler returns: the handler (or whatever it handed the
     * exchange to) completes it later with {@code send}, {@code redirect} or by closing
     * {@link #responseBody()}.
     */
    void async();

    /**
     * Switches the connection to another protocol (RFC 9110 §7.8): the response is sent as
     * {@code 101 Switching Protocols} with the response fields set so far (the caller sets
     * {@code Upgrade} and what the protocol needs), then the connection leaves HTTP/1.1 and is
     * handed to {@code protocol} on its event loop. Ends the exchange like a sent response (counted
     * and access-logged with status 101). Callable from any thread. The request must have carried
     * {@code Upgrade} and no body; only HTTP/1.1 connections can switch. A {@code Content-Length},
     * {@code Transfer-Encoding} or {@code Connection} field set by the caller is not sent; the
     * engine writes {@code Connection: Upgrade}.
     *
     * @throws UnsupportedOperationException on a connection that cannot switch (an HTTP/2 stream,
     *     RFC 9113 §8.6; an HTTP/1.0 request)
     * @throws IllegalStateException once the response is committed, or when the request has no
     *     {@code Upgrade} field or has a body
     */
    default void upgrade(dev.saker.server.connection.UpgradedProtocol protocol) {
        throw new UnsupportedOperationException(protocol() + " connections cannot switch protocols");
    }
}
