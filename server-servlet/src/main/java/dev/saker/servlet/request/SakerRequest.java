package dev.saker.servlet.request;

import dev.saker.server.http.HttpExchange;
import dev.saker.servlet.attributes.AttributeMap;
import dev.saker.servlet.mapping.ServletMatch;
import dev.saker.servlet.response.SakerResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSession;

/**
 * The container's {@link HttpServletRequest}: the servlet state of a request (attributes,
 * parameters and parts, mapping and paths, dispatch and async, sessions) over what the client sent
 * ({@link RequestHead}) and its body ({@link RequestBody}).
 */
public final class SakerRequest extends RequestBody {

    private final ServletContext context;
    private final RequestPath path;
    /** Sized for the dozen or so attributes Spring MVC sets on every request. */
    private final AttributeMap attributes;
    /** Made on first use: most requests never read a parameter (and the parser is two objects). */
    private RequestForm form;
    private SakerResponse response;
    private ServletMatch match;
    private DispatcherType dispatcherType = DispatcherType.REQUEST;
    private RequestSessions sessions;
    private AsyncCycle asyncContext;
    private HttpUpgradeHandler upgradeHandler;
    private dev.saker.server.connection.UpgradedProtocol upgradeProtocol;
    private boolean asyncSupported = true;
    /** Whether the TLS attributes were added (when one of them is first named; see {@link TlsAttributes}). */
    private boolean tlsAttributesChecked;

    public SakerRequest(RequestHost host, HttpExchange exchange, RequestPath path) {
        super(host, exchange);
        this.context = host.context();
        this.path = path;
        this.attributes = new AttributeMap(new HashMap<>(32), this, host.requestAttributeEvents(), null);
    }

    private RequestForm form() {
        if (form == null) {
            form = new RequestForm(this);
        }
        return form;
    }

    @Override
    boolean formParsed() {
        return form != null && form.parsed();
    }

    // ------------------------------------------------------------------ container side

    /** @return the parsed request path */
    RequestPath path() {
        return path;
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

    @Override
    public AsyncCycle asyncContextOrNull() {
        return asyncContext;
    }

    /**
     * Ends the request: releases what it holds (multipart temporary files) and makes every later use
     * of it, or of its response, throw. Called before the response is handed over.
     */
    public void recycle() {
        lifetime.end();
        if (form != null) {
            form.deleteFiles();
        }
        closeBody();
    }

    // ------------------------------------------------------------------ attributes

    /** @return the id SSL session tracking uses ({@link TlsAttributes#trackingId}), or {@code null} for a plain request */
    String tlsSessionId() {
        SSLSession tls = live().sslSession();
        return tls == null ? null : TlsAttributes.trackingId(tls);
    }

    /**
     * @param name the attribute about to be used, or {@code null} when all of them are (names)
     * @return the request's attributes, with the TLS ones added first when {@code name} is one of them
     */
    private AttributeMap attributes(String name) {
        lifetime.check();
        if (!tlsAttributesChecked && (name == null || TlsAttributes.isTlsAttribute(name))) {
            tlsAttributesChecked = true;
            SSLSession tls = exchange.sslSession();
            if (tls != null) {
                TlsAttributes.addTo(tls, attributes);
            }
        }
        return attributes;
    }

    @Override
    public Object getAttribute(String name) {
        return attributes(name).get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return attributes(null).names();
    }

    @Override
    public void setAttribute(String name, Object o) {
        if (name == null) {
            throw new IllegalArgumentException("attribute name is null");
        }
        attributes(name).set(name, o);
    }

    @Override
    public void removeAttribute(String name) {
        attributes(name).remove(name);
    }

    // ------------------------------------------------------------------ parameters

    private Map<String, String[]> parameters() {
        lifetime.check();
        return form().parameters();
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
        return form().parts().parts();
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        lifetime.check();
        return form().parts().part(name);
    }

    // ------------------------------------------------------------------ request line and URI

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
    public HttpServletMapping getHttpServletMapping() {
        lifetime.check();
        return match;
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
        if (upgradeHandler != null || upgradeProtocol != null) {
            throw new IllegalStateException("the request is being upgraded (HttpServletRequest.upgrade): no async cycle");
        }
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

    /**
     * Saker's own upgrade, for protocols the engine implements (the Jakarta WebSocket container): once
     * {@code service} and the filters returned, the container sends {@code 101 Switching Protocols}
     * with the fields the application set ({@code Upgrade} among them) and hands the connection to
     * {@code protocol}, as {@link #upgrade} does for an {@code HttpUpgradeHandler}. Sets the status to 101.
     *
     * @throws UnsupportedOperationException over HTTP/2 or HTTP/1.0
     * @throws IllegalStateException in the cases {@link #upgrade} refuses
     */
    public void upgrade(dev.saker.server.connection.UpgradedProtocol protocol) {
        lifetime.check();
        java.util.Objects.requireNonNull(protocol, "protocol");
        checkUpgradable();
        upgradeProtocol = protocol;
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
    }

    /** @return the engine protocol {@link #upgrade(dev.saker.server.connection.UpgradedProtocol)} set, or {@code null} */
    public dev.saker.server.connection.UpgradedProtocol upgradeProtocol() {
        return upgradeProtocol;
    }

    private void checkUpgradable() {
        String protocol = exchange.protocol();
        if (!"HTTP/1.1".equals(protocol)) {
            throw new UnsupportedOperationException(protocol + " requests cannot be upgraded"
                    + (protocol.startsWith("HTTP/2") ? " (RFC 9113 section 8.6: HTTP/2 has no Upgrade)" : ""));
        }
        if (getHeader("Upgrade") == null) {
            throw new IllegalStateException("the request did not ask for a protocol switch: it has no Upgrade header");
        }
        if (exchange.requestBody().contentLength() != 0) {
            throw new IllegalStateException("a request with a body cannot be upgraded");
        }
        if (asyncContext != null) {
            throw new IllegalStateException("a request in an async cycle cannot be upgraded");
        }
        if (upgradeHandler != null || upgradeProtocol != null) {
            throw new IllegalStateException("upgrade was already called on this request");
        }
        if (response.isCommitted()) {
            throw new IllegalStateException("the response is already committed: no 101 can be sent");
        }
    }

    /**
     * Makes the handler now; the container sends {@code 101 Switching Protocols} (with the fields the
     * application set, {@code Upgrade} among them) once {@code service} and the filters returned,
     * then calls {@link HttpUpgradeHandler#init} (Servlet 6.1, 2.3.3.5). Sets the status to 101.
     *
     * @throws UnsupportedOperationException over HTTP/2 (RFC 9113 §8.6: no Upgrade there) or HTTP/1.0
     * @throws IllegalStateException when the request has no {@code Upgrade} field or has a body, in
     *         an async cycle, once the response is committed, or when called twice
     */
    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
        lifetime.check();
        java.util.Objects.requireNonNull(handlerClass, "handlerClass");
        checkUpgradable();
        T handler = host.createUpgradeHandler(handlerClass);
        upgradeHandler = handler;
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
        return handler;
    }

    /** @return the handler {@link #upgrade} made, or {@code null} when the request is not being upgraded */
    public HttpUpgradeHandler upgradeHandler() {
        return upgradeHandler;
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

}
