package dev.saker.websocket.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.HandshakeRequest;
import java.net.URI;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The opening handshake's request as {@code ServerEndpointConfig.Configurator.modifyHandshake} sees
 * it: copied from the HTTP request (its user principal and session included, so a security filter's
 * wrapper is honoured), since the request ends once the connection switches.
 */
final class HandshakeRequestView implements HandshakeRequest {

    private final HttpServletRequest request;
    private final Map<String, List<String>> headers;
    private final Principal principal;
    private final URI uri;
    private final Map<String, List<String>> parameters;
    private final String query;

    HandshakeRequestView(HttpServletRequest request, URI uri) {
        this.request = request;
        this.uri = uri;
        this.principal = request.getUserPrincipal();
        this.query = request.getQueryString();
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            h.put(name, List.copyOf(Collections.list(request.getHeaders(name))));
        }
        this.headers = Collections.unmodifiableMap(h);
        this.parameters = parameters(request);
    }

    static Map<String, List<String>> parameters(HttpServletRequest request) {
        Map<String, List<String>> p = new TreeMap<>();
        for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
            p.put(e.getKey(), List.of(e.getValue()));
        }
        return Collections.unmodifiableMap(p);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
        return headers;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    /** Asks the HTTP request: valid while the handshake is being handled. */
    @Override
    public boolean isUserInRole(String role) {
        return request.isUserInRole(role);
    }

    /** @return the HTTP session, or {@code null} (none is made) */
    @Override
    public Object getHttpSession() {
        return request.getSession(false);
    }

    @Override
    public Map<String, List<String>> getParameterMap() {
        return parameters;
    }

    @Override
    public String getQueryString() {
        return query;
    }

    /** @return the response fields a configurator set, to copy onto the 101 */
    static Map<String, List<String>> newResponseHeaders() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }
}
