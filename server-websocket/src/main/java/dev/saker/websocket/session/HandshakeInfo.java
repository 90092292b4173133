package dev.saker.websocket.session;

import jakarta.websocket.Extension;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * What a session keeps of its opening handshake.
 *
 * @param requestURI the request's URI (path and query)
 * @param queryString the raw query, or {@code null}
 * @param parameters the request's query parameters
 * @param pathParameters the endpoint path's variables and their values
 * @param principal the authenticated user of the HTTP request, or {@code null}
 * @param secure whether the connection is TLS
 * @param subprotocol the chosen subprotocol, {@code ""} for none
 * @param extensions the extensions in force
 */
public record HandshakeInfo(URI requestURI, String queryString, Map<String, List<String>> parameters,
        Map<String, String> pathParameters, Principal principal, boolean secure, String subprotocol,
        List<Extension> extensions) {
}
