package dev.saker.servlet.request;

import dev.saker.server.http.HttpExchange;
import java.net.InetSocketAddress;

/**
 * Server name and port and addresses of a request as the connection shows them: from the
 * {@code Host} field and the socket (the request prefers a trusted proxy's {@link RequestOrigin}).
 */
final class RequestAddresses {

    private RequestAddresses() {
    }

    static String serverName(HttpExchange exchange) {
        String host = exchange.host();
        return host == null || host.isEmpty() ? exchange.localAddress().getHostString() : host;
    }

    /** @param hostField the request's {@code Host} field, or {@code null} */
    static int serverPort(HttpExchange exchange, String hostField) {
        if (hostField != null) {
            int colon = hostField.lastIndexOf(':');
            if (colon > hostField.lastIndexOf(']')) {
                try {
                    return Integer.parseInt(hostField.substring(colon + 1));
                } catch (NumberFormatException e) {
                    return exchange.localAddress().getPort();
                }
            }
            // No port in Host: the scheme's default.
            return exchange.sslSession() != null ? 443 : 80;
        }
        return exchange.localAddress().getPort();
    }

    /** @return the address as text, or the host name when it is unresolved */
    static String hostAddress(InetSocketAddress address) {
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }
}
