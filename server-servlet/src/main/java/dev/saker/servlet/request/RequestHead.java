package dev.saker.servlet.request;

import dev.saker.server.http.HttpExchange;
import dev.saker.servlet.response.ResponseOwner;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the client sent and from where: the request line, header fields, cookies and locales, the
 * server and client addresses (a trusted proxy's {@link RequestOrigin} first), the request id, and
 * the client's identity (none: container-managed security is not provided). A base class of
 * {@link SakerRequest}, not a collaborator, so a request costs no extra allocation.
 */
abstract class RequestHead implements ResponseOwner {

    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    final RequestHost host;
    final HttpExchange exchange;
    final RequestLifetime lifetime = new RequestLifetime();
    private RequestOrigin origin;
    private Cookie[] cookies;
    private List<Locale> locales;
    private String requestId;

    RequestHead(RequestHost host, HttpExchange exchange) {
        this.host = host;
        this.exchange = exchange;
    }

    // ------------------------------------------------------------------ request line

    @Override
    public String getMethod() {
        return live().method();
    }

    @Override
    public String getProtocol() {
        return live().protocol();
    }

    /** Applies what a trusted proxy reported about the client (see {@link RequestOrigin}). */
    public void setOrigin(RequestOrigin origin) {
        this.origin = origin;
    }

    /** "https" on a TLS connection, else "http"; a trusted proxy's report comes first. */
    @Override
    public String getScheme() {
        if (origin != null) {
            return origin.scheme();
        }
        return live().sslSession() != null ? "https" : "http";
    }

    @Override
    public boolean isSecure() {
        return "https".equals(getScheme());
    }

    @Override
    public String getRequestURI() {
        return live().rawPath();
    }

    @Override
    public StringBuffer getRequestURL() {
        return RequestOrigin.appendBase(new StringBuffer(), getScheme(), getServerName(), getServerPort())
                .append(getRequestURI());
    }

    @Override
    public String getQueryString() {
        return live().rawQuery();
    }

    // ------------------------------------------------------------------ header fields, cookies, locales

    @Override
    public String getHeader(String name) {
        return lifetime.headers(exchange).get(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(lifetime.headers(exchange).getAll(name));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(lifetime.headers(exchange).names());
    }

    @Override
    public int getIntHeader(String name) {
        String value = getHeader(name);
        return value == null ? -1 : Integer.parseInt(value.trim());
    }

    @Override
    public long getDateHeader(String name) {
        String value = getHeader(name);
        if (value == null) {
            return -1;
        }
        long millis = HttpDates.parse(value);
        if (millis < 0) {
            throw new IllegalArgumentException("header " + name + " is not an HTTP date: " + value);
        }
        return millis;
    }

    @Override
    public Cookie[] getCookies() {
        lifetime.check();
        if (cookies == null) {
            cookies = CookieParser.parse(lifetime.headers(exchange).getAll("Cookie"));
        }
        return cookies.length == 0 ? null : cookies.clone();
    }

    @Override
    public Locale getLocale() {
        return locales().get(0);
    }

    @Override
    public Enumeration<Locale> getLocales() {
        return Collections.enumeration(locales());
    }

    private List<Locale> locales() {
        lifetime.check();
        if (locales == null) {
            locales = Locales.parse(lifetime.headers(exchange).getAll("Accept-Language"));
        }
        return locales;
    }

    // ------------------------------------------------------------------ addresses and ids

    @Override
    public String getServerName() {
        return origin != null ? origin.serverName() : RequestAddresses.serverName(live());
    }

    @Override
    public int getServerPort() {
        if (origin != null) {
            return origin.serverPort();
        }
        String hostField = lifetime.headers(exchange).get("Host");
        return RequestAddresses.serverPort(live(), hostField);
    }

    @Override
    public String getRemoteAddr() {
        return origin != null ? origin.remoteAddr() : RequestAddresses.hostAddress(live().remoteAddress());
    }

    @Override
    public String getRemoteHost() {
        return getRemoteAddr();
    }

    @Override
    public int getRemotePort() {
        return live().remoteAddress().getPort();
    }

    @Override
    public String getLocalName() {
        return live().localAddress().getHostString();
    }

    @Override
    public String getLocalAddr() {
        return RequestAddresses.hostAddress(live().localAddress());
    }

    @Override
    public int getLocalPort() {
        return live().localAddress().getPort();
    }

    @Override
    public String getRequestId() {
        lifetime.check();
        if (requestId == null) {
            // Assigned on first use: most requests never ask.
            requestId = Long.toString(REQUEST_IDS.incrementAndGet());
        }
        return requestId;
    }

    @Override
    public String getProtocolRequestId() {
        return "";
    }

    @Override
    public ServletConnection getServletConnection() {
        lifetime.check();
        return new SakerServletConnection(exchange);
    }

    // ------------------------------------------------------------------ identity (container-managed security is not provided)

    @Override
    public String getAuthType() {
        return null;
    }

    @Override
    public String getRemoteUser() {
        return null;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public Principal getUserPrincipal() {
        return null;
    }

    @Override
    public boolean authenticate(HttpServletResponse response) throws ServletException {
        throw new ServletException("container-managed authentication is not supported by Saker; use Spring Security");
    }

    @Override
    public void login(String username, String password) throws ServletException {
        throw new ServletException("container-managed login is not supported by Saker; use Spring Security");
    }

    @Override
    public void logout() throws ServletException {
        throw new ServletException("container-managed logout is not supported by Saker; use Spring Security");
    }

    // ------------------------------------------------------------------ container side

    /** @return what the request needs from its container */
    @Override
    public RequestHost host() {
        return host;
    }

    public HttpExchange exchange() {
        return exchange;
    }

    /** @return whether the request is live, shared with its response */
    @Override
    public RequestLifetime lifetime() {
        return lifetime;
    }

    /** The live exchange, or {@link IllegalStateException} once the request ended. */
    HttpExchange live() {
        return lifetime.exchange(exchange);
    }
}
