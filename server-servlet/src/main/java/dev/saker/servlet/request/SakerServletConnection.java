package dev.saker.servlet.request;

import dev.saker.server.http.HttpExchange;
import jakarta.servlet.ServletConnection;

/** The connection a request arrived on, as Servlet 6 describes it. */
final class SakerServletConnection implements ServletConnection {

    private final HttpExchange exchange;

    SakerServletConnection(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public String getConnectionId() {
        return exchange.remoteAddress().toString() + "->" + exchange.localAddress().toString();
    }

    @Override
    public String getProtocol() {
        return "http/1.1";
    }

    @Override
    public String getProtocolConnectionId() {
        return "";
    }

    @Override
    public boolean isSecure() {
        return false;
    }
}
