package dev.saker.server.http1;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.http.HttpHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * A protocol an HTTP/1.1 request may switch its connection to with {@code Upgrade} (RFC 9110
 * §7.8), such as h2c on a cleartext listener. The HTTP/1.1 connection asks only for HTTP/1.1
 * requests that carry an {@code Upgrade} field, have no {@code Expect}, no {@code Connection: close}
 * and a body of at most {@link #maxBodySize()} bytes as sent; it reads that body whole, then leaves
 * the pipeline and hands the channel over. Anything else is served as HTTP/1.1, as a server may
 * ignore {@code Upgrade}. Called on the connection's event loop.
 */
public interface Http1Upgrade {

    /** @return the largest request body (as sent, chunk framing included) read whole before switching */
    long maxBodySize();

    /**
     * @param method the request method
     * @param path the path and query, or {@code *}
     * @param authority the authority of an absolute-form target, else the {@code Host} field
     * @param fields the request's header fields, valid during this call only
     * @return the switch this request asks for and may have, or {@code null} to serve it as HTTP/1.1
     */
    Switch prepare(String method, String path, String authority, HttpHeaders fields);

    /** A switch decided from a request head, made once its body has been read. */
    interface Switch {

        /**
         * Answers {@code 101 Switching Protocols}, installs the new protocol on {@code channel} (the
         * HTTP/1.1 handler has left it; the connection is counted and {@code ACCEPTED_AT} set) and
         * serves the request there.
         *
         * @param body the request body, whole and decoded (owned by the callee), or {@code null}
         * @param trailers trailer fields of a chunked body, or {@code null}
         * @param rest bytes received after the request (owned by the callee), or {@code null}
         * @param inReadBatch whether a read batch is in progress (its end will be signalled)
         */
        void switchTo(Channel channel, LoopContext loop, ByteBuf body, HttpHeaders trailers, ByteBuf rest,
                boolean inReadBatch);
    }
}
