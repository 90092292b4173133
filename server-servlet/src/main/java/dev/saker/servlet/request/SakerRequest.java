package dev.saker.servlet.request;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHeaders;
import dev.saker.servlet.attributes.AttributeMap;
import dev.saker.servlet.mapping.ServletMatch;
import dev.saker.servlet.response.SakerResponse;
import dev.saker.servlet.util.ContentTypes;
import dev.saker.servlet.util.SerialExecutor;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/** The container's {@link HttpServletRequest}: a view of the engine's exchange plus servlet state. */
public final class SakerRequest implements HttpServletRequest {

    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private final RequestHost host;
    private final ServletContext context;
    private final HttpExchange exchange;
    private final RequestPath path;
    private String requestId;
    /** Sized for the dozen or so attributes Spring MVC sets on every request. */
    private final AttributeMap attributes;
    private final RequestLifetime lifetime = new RequestLifetime();
    private final RequestForm form = new RequestForm(this);
    private SakerResponse response;
    private ServletMatch match;
    private DispatcherType dispatcherType = DispatcherType.REQUEST;
    private String characterEncoding;
    private Charset charset;
    private Cookie[] cookies;
    private List<Locale> locales;
    private SakerInputStream inputStream;
    private BufferedReader reader;
    private RequestSessions sessions;
    private AsyncCycle asyncContext;
    private boolean asyncSupported = true;
    private Executor callbacks;
    private RequestOrigin origin;

    public SakerRequest(RequestHost host, HttpExchange exchange, RequestPath path) {
        this.host = host;
        this.context = host.context();
        this.exchange = exchange;
        this.path = path;
        this.attributes = new AttributeMap(new HashMap<>(32), this, host.requestAttributeEvents(), null);
        String defaultEncoding = context.getRequestCharacterEncoding();
        String fromType = ContentTypes.charsetOf(lifetime.headers(exchange).get("Content-Type"));
        this.characterEncoding = fromType != null ? fromType : defaultEncoding;
    }

    // ------------------------------------------------------------------ container side

    /** @return what the request needs from its container */
    public RequestHost host() {
        return host;
    }

    /** @return the parsed request path */
    RequestPath path() {
        return path;
    }

    public HttpExchange exchange() {
        return exchange;
    }

    public void setResponse(SakerResponse response) {
        this.response = response;
    }

    public SakerResponse response() {
        return response;
    }

    public void setMatch(ServletMatch match) {
        this.match = match;
    }

    public ServletMatch match() {
        return match;
    }

    /** @return the context-relative, decoded, normalized path */
    public String contextRelativePath() {
        String decoded = path.decoded();
        String cp = context.getContextPath();
        return decoded.length() == cp.length() ? "/" : decoded.substring(cp.length());
    }

    public void setDispatcherType(DispatcherType type) {
        this.dispatcherType = type;
    }

    public void setAsyncSupported(boolean supported) {
        this.asyncSupported = supported;
    }

    public AsyncCycle asyncContextOrNull() {
        return asyncContext;
    }

    /** @return whether the request is live, shared with its response */
    public RequestLifetime lifetime() {
        return lifetime;
    }

    /** The live exchange, or {@link IllegalStateException} once the request ended. */
    private HttpExchange live() {
        return lifetime.exchange(exchange);
    }

    /**
     * Ends the request: releases what it holds (multipart temporary files) and makes every later use
     * of it, or of its response, throw. Called before the response is handed over.
     */
    public void recycle() {
        lifetime.end();
        form.deleteFiles();
        if (inputStream != null) {
            try {
                inputStream.close();
            } catch (IOException e) {
                // Only releases what the stream holds; nothing to report.
            }
        }
    }

    // ------------------------------------------------------------------ attributes

    @Override
    public Object getAttribute(String name) {
        lifetime.check();
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        lifetime.check();
        return attributes.names();
    }

    @Override
    public void setAttribute(String name, Object o) {
        if (name == null) {
            throw new IllegalArgumentException("attribute name is null");
        }
        lifetime.check();
        attributes.set(name, o);
    }

    @Override
    public void removeAttribute(String name) {
        lifetime.check();
        attributes.remove(name);
    }

    // ------------------------------------------------------------------ encoding and body

    @Override
    public String getCharacterEncoding() {
        lifetime.check();
        return characterEncoding;
    }

    @Override
    public void setCharacterEncoding(String env) throws UnsupportedEncodingException {
        lifetime.check();
        if (reader != null || form.parsed()) {
            return;
        }
        try {
            charset = Charset.forName(env);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(env);
        }
        characterEncoding = env;
    }

    @Override
    public void setCharacterEncoding(Charset encoding) {
        lifetime.check();
        if (reader == null && !form.parsed()) {
            charset = encoding;
            characterEncoding = encoding.name();
        }
    }

    Charset charset() {
        if (charset == null) {
            Charset resolved = StandardCharsets.ISO_8859_1;
            if (characterEncoding != null) {
                try {
                    resolved = Charset.forName(characterEncoding);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    resolved = StandardCharsets.ISO_8859_1;
                }
            }
            charset = resolved;
        }
        return charset;
    }

    @Override
    public int getContentLength() {
        long length = getContentLengthLong();
        return length > Integer.MAX_VALUE ? -1 : (int) length;
    }

    @Override
    public long getContentLengthLong() {
        String value = lifetime.headers(exchange).get("Content-Length");
        return value == null ? -1 : Long.parseLong(value);
    }

    @Override
    public String getContentType() {
        return lifetime.headers(exchange).get("Content-Type");
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        lifetime.check();
        if (reader != null) {
            throw new IllegalStateException("getReader() has already been called");
        }
        return bodyStream();
    }

    /** @return whether the application took the body (as a stream or a reader) */
    boolean bodyTaken() {
        return inputStream != null || reader != null;
    }

    SakerInputStream bodyStream() {
        if (inputStream == null) {
            inputStream = new SakerInputStream(exchange.requestBody(), this::isAsyncStarted, callbacks());
        }
        return inputStream;
    }

    /** @return the serial executor that runs this request's non-blocking I/O listeners */
    public Executor callbacks() {
        if (callbacks == null) {
            callbacks = new SerialExecutor(host::execute);
        }
        return callbacks;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        lifetime.check();
        if (reader == null) {
            if (inputStream != null) {
                throw new IllegalStateException("getInputStream() has already been called");
            }
            reader = new BufferedReader(new InputStreamReader(bodyStream(), charset()));
        }
        return reader;
    }

    // ------------------------------------------------------------------ parameters

    private Map<String, String[]> parameters() {
        lifetime.check();
        return form.parameters();
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    // ------------------------------------------------------------------ parts

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        lifetime.check();
        return form.parts().parts();
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        lifetime.check();
        return form.parts().part(name);
    }

    // ------------------------------------------------------------------ request line and URI

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

    @Override
    public String getScheme() {
        return origin == null ? "http" : origin.scheme();
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
    public String getContextPath() {
        return context.getContextPath();
    }

    @Override
    public String getServletPath() {
        lifetime.check();
        return match == null ? "" : match.servletPath();
    }

    @Override
    public String getPathInfo() {
        lifetime.check();
        return match == null ? null : match.pathInfo();
    }

    @Override
    public String getPathTranslated() {
        String info = getPathInfo();
        return info == null ? null : context.getRealPath(info);
    }

    @Override
    public String getQueryString() {
        return live().rawQuery();
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        lifetime.check();
        return match;
    }

    // ------------------------------------------------------------------ headers

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
    public Map<String, String> getTrailerFields() {
        HttpHeaders trailers = live().requestBody().trailers();
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < trailers.size(); i++) {
            fields.merge(trailers.name(i).toLowerCase(Locale.ROOT), trailers.value(i), (a, b) -> a + "," + b);
        }
        return fields;
    }

    @Override
    public boolean isTrailerFieldsReady() {
        return inputStream != null && inputStream.isFinished() || live().requestBody().contentLength() >= 0;
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

    // ------------------------------------------------------------------ addresses

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

    // ------------------------------------------------------------------ dispatch and async

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String target) {
        lifetime.check();
        if (target == null) {
            return null;
        }
        if (target.startsWith("/")) {
            return context.getRequestDispatcher(target);
        }
        String current = getServletPath() + (getPathInfo() == null ? "" : getPathInfo());
        int slash = current.lastIndexOf('/');
        return context.getRequestDispatcher((slash < 0 ? "/" : current.substring(0, slash + 1)) + target);
    }

    @Override
    public DispatcherType getDispatcherType() {
        return dispatcherType;
    }

    @Override
    public AsyncContext startAsync() {
        return startAsync(this, response);
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
        lifetime.check();
        if (!asyncSupported) {
            throw new IllegalStateException("async is not supported by this request's servlet or filters");
        }
        if (asyncContext != null && asyncContext.isStartedInThisDispatch()) {
            throw new IllegalStateException("startAsync was already called in this dispatch");
        }
        if (asyncContext != null && asyncContext.isCompleted()) {
            throw new IllegalStateException("the async cycle is complete");
        }
        if (asyncContext == null) {
            lifetime.keepHead(exchange);
            asyncContext = host.startAsync(this, servletRequest, servletResponse);
        } else {
            asyncContext.restart(servletRequest, servletResponse);
        }
        return asyncContext;
    }

    @Override
    public boolean isAsyncStarted() {
        return asyncContext != null && asyncContext.isStarted();
    }

    @Override
    public boolean isAsyncSupported() {
        return asyncSupported;
    }

    @Override
    public AsyncContext getAsyncContext() {
        lifetime.check();
        if (asyncContext == null || !asyncContext.isStarted()) {
            throw new IllegalStateException("async has not been started");
        }
        return asyncContext;
    }

    // ------------------------------------------------------------------ sessions

    @Override
    public HttpSession getSession(boolean create) {
        lifetime.check();
        return sessions().getSession(create);
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public String changeSessionId() {
        lifetime.check();
        return sessions().changeSessionId();
    }

    @Override
    public String getRequestedSessionId() {
        lifetime.check();
        return sessions().requestedId();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        lifetime.check();
        return sessions().requestedIdValid();
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        lifetime.check();
        return sessions().requestedIdFromCookie();
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        lifetime.check();
        return sessions().requestedIdFromUrl();
    }

    private RequestSessions sessions() {
        if (sessions == null) {
            sessions = new RequestSessions(this, host.sessions());
        }
        return sessions;
    }

    // ------------------------------------------------------------------ security (container-managed security is not provided)

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

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
        throw new UnsupportedOperationException("HTTP upgrade (HttpServletRequest.upgrade) is not supported by Saker yet");
    }
}
