package dev.saker.server.http;

/**
 * Application code that answers one HTTP request.
 *
 * <p>Where it runs depends on the server's {@code DispatchMode}: on the connection's event loop
 * (the handler must never block), on a pooled platform thread, or on a virtual thread. Unless the
 * handler calls {@link HttpExchange#async()}, the response is completed when this method returns:
 * an unfinished response is ended (empty body if nothing was written).
 *
 * <p>An exception thrown before the response is committed is answered with 500 (or with the status
 * carried by a {@link BadRequestException}); after commit the connection is aborted.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Handles one request.
     *
     * @param exchange the request and its response; valid until the response is complete
     * @throws Exception any failure; see the class comment for how it is answered
     */
    void handle(HttpExchange exchange) throws Exception;
}
