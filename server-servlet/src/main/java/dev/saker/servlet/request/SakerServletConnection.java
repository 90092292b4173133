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
        // The IANA ALPN identifiers the Servlet spec asks for.
        String protocol = exchange.protocol();
        if (protocol.equals("HTTP/2.0")) {
            return exchange.sslSession() != null ? "h2" : "h2c";
        }
        return protocol.equals("HTTP/1.0") ? "http/1.0" : "http/1.1";
    }

    @Override
    public String getProtocolConnectionId() {
        return "";
    }

    @Override
    public boolean isSecure() {
        return exchange.sslSession() != null;
    }
}
