package dev.saker.servlet.request;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.MutableHeaders;

/**
 * Whether a request is still live, shared by the request and its response. The engine reuses a
 * connection's exchange for the next request once a response is handed over, so a request or
 * response the application kept past its end must throw rather than show another request's data
 * (as Tomcat's recycled facades do). And a connection that closes under a pending async request
 * releases the buffer its head was parsed from, so async requests read a copy of the head, taken
 * when async starts (async timeouts and other threads may read it long after the client left).
 */
public final class RequestLifetime {

    private volatile boolean ended;
    private volatile HttpHeaders copiedHead;

    /** @throws IllegalStateException once the request has ended */
    public void check() {
        if (ended) {
            throw new IllegalStateException("this request is over: a request or response object may not be used "
                    + "after its request ended (it was kept past the end of its servlet or async cycle)");
        }
    }

    /** @return whether the container has ended the request */
    public boolean ended() {
        return ended;
    }

    /** The container ended the request: from now on every use of it throws. */
    void end() {
        ended = true;
    }

    /** @return the live exchange, checked */
    HttpExchange exchange(HttpExchange exchange) {
        check();
        return exchange;
    }

    /** @return the request header fields, the copy once async started */
    HttpHeaders headers(HttpExchange exchange) {
        check();
        HttpHeaders copy = copiedHead;
        return copy != null ? copy : exchange.requestHeaders();
    }

    /**
     * Async started: copies the header fields and makes the exchange build the strings of its request
     * line (it keeps them), so nothing reads the received buffer any more.
     */
    void keepHead(HttpExchange exchange) {
        if (copiedHead != null) {
            return;
        }
        exchange.rawTarget();
        exchange.rawPath();
        exchange.path();
        exchange.rawQuery();
        exchange.host();
        HttpHeaders live = exchange.requestHeaders();
        MutableHeaders copy = new MutableHeaders();
        for (int i = 0; i < live.size(); i++) {
            copy.add(live.name(i), live.value(i));
        }
        copiedHead = copy;
    }
}
