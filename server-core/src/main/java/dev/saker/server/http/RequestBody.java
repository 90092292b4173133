package dev.saker.server.http;

import java.io.InputStream;

/**
 * The request body, read with backpressure: the server reads from the socket only as fast as the
 * body is consumed. Reading it the first time sends {@code 100 Continue} when the client asked.
 */
public interface RequestBody {

    /** @return the declared length, or -1 for a chunked body; 0 when there is no body */
    long contentLength();

    /**
     * @return a blocking stream over the body; its reads fail with an {@link java.io.IOException}
     * when the client goes away or breaks the framing ({@link BadRequestException}).
     * @throws IllegalStateException on an event loop thread, where blocking is not allowed
     */
    InputStream asInputStream();

    /**
     * Asks for the next piece of the body, non-blocking: {@code consumer} is called once, on the
     * connection's event loop, when data (or the end, or an error) is there, with everything
     * buffered (all the chunks received so far). Call again from the callback for more: one call,
     * one delivery, which is the backpressure.
     */
    void read(BodyConsumer consumer);

    /** @return trailer fields of a chunked body once it has been read to its end; empty otherwise */
    HttpHeaders trailers();
}
