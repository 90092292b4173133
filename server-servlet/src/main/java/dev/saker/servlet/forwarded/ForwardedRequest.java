package dev.saker.servlet.forwarded;

import dev.saker.server.forwarded.ForwardedOrigin;
import dev.saker.server.forwarded.TrustedProxies;
import dev.saker.servlet.request.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request as the client saw it, from the forwarding fields of a trusted proxy: {@link #origin}
 * reads them with the engine's {@link ForwardedOrigin}; the wrapper presents them for a request
 * that is not the container's own.
 */
final class ForwardedRequest extends HttpServletRequestWrapper {

    private final RequestOrigin origin;

    ForwardedRequest(HttpServletRequest request, RequestOrigin origin) {
        super(request);
        this.origin = origin;
    }

    /** @return what the forwarding fields of {@code request} say about the client */
    static RequestOrigin origin(HttpServletRequest request, TrustedProxies trusted) {
        // getHeader gives the first field of a name only, as the container always did.
        ForwardedOrigin origin = ForwardedOrigin.of(request::getHeader, trusted, request.getRemoteAddr(),
                request.getScheme(), request.getServerName(), request.getServerPort());
        return new RequestOrigin(origin.client(), origin.scheme(), origin.host(), origin.port());
    }

    @Override
    public String getRemoteAddr() {
        return origin.remoteAddr();
    }

    @Override
    public String getRemoteHost() {
        return origin.remoteAddr();
    }

    @Override
    public String getScheme() {
        return origin.scheme();
    }

    @Override
    public boolean isSecure() {
        return "https".equals(origin.scheme());
    }

    @Override
    public String getServerName() {
        return origin.serverName();
    }

    @Override
    public int getServerPort() {
        return origin.serverPort();
    }

    @Override
    public StringBuffer getRequestURL() {
        return RequestOrigin.appendBase(new StringBuffer(), origin.scheme(), origin.serverName(), origin.serverPort())
                .append(getRequestURI());
    }
}
