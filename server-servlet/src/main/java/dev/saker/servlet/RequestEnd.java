package dev.saker.servlet;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.HttpStatus;
import dev.saker.servlet.context.SakerServletContext;
import dev.saker.servlet.dispatch.ErrorPages;
import dev.saker.servlet.dispatch.SakerRequestDispatcher;
import dev.saker.servlet.dispatch.SwallowedFailure;
import dev.saker.servlet.request.AsyncCycle;
import dev.saker.servlet.request.FormException;
import dev.saker.servlet.request.SakerRequest;
import dev.saker.servlet.response.SakerResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the container ends a request, whichever way it went: the error page or default error body
 * for a failure or a {@code sendError} status (Servlet 6.1, 10.9), an abort when the response was
 * already committed, the end of the async cycle, the request listeners (which also hear when a
 * request begins), and last the response.
 */
final class RequestEnd {

    /** The container's logger: what operators configure for request failures. */
    private static final Logger log = LoggerFactory.getLogger(SakerServletContainer.class);

    private final SakerServletContext context;
    private final ErrorPages errorPages;

    RequestEnd(SakerServletContext context, ErrorPages errorPages) {
        this.context = context;
        this.errorPages = errorPages;
    }

    /** Ends a request: error page if needed, then the response completes and the request is over. */
    void endRequest(SakerRequest base, ServletRequest request, ServletResponse response, Throwable failure)
            throws IOException {
        if (base.lifetime().ended()) {
            return;
        }
        try {
            Throwable swallowed = failure == null ? SwallowedFailure.afterCommit(request, base.response()) : null;
            if (failure != null) {
                handleFailure(base, request, response, failure);
            } else if (swallowed != null) {
                log.debug("request {} failed after its response was committed; aborting it", base.getRequestURI(), swallowed);
                base.response().abort(swallowed);
            } else {
                handleErrorStatus(base, request, response);
            }
        } finally {
            endAsync(base);
            finishRequest(base);
        }
    }

    /**
     * Ends a request the application upgraded ({@code HttpServletRequest.upgrade}), after its
     * filters and servlet returned: the request listeners hear its end, then the response goes out as
     * {@code 101 Switching Protocols} and the connection to {@code protocol}. A response that was
     * committed or given an error status meanwhile is not switched: the request ends as usual.
     *
     * @return whether the connection switched
     * @throws IllegalStateException when the response has no {@code Upgrade} field (nothing was sent)
     */
    boolean switchProtocols(SakerRequest base, dev.saker.server.connection.UpgradedProtocol protocol)
            throws IOException {
        SakerResponse response = base.response();
        if (response.isCommitted() || response.errorStatus() != 0) {
            log.debug("request {} was upgraded but its response went out otherwise: not switching", base.getRequestURI());
            return false;
        }
        if (response.getHeader("Upgrade") == null) {
            throw new IllegalStateException("a 101 response needs an Upgrade header naming the new protocol: "
                    + "set it before service returns");
        }
        try {
            requestListeners(base, false);
        } finally {
            base.recycle();
        }
        try {
            if (response.switchProtocols(protocol)) {
                return true;
            }
        } catch (RuntimeException e) {
            // Not expected: HttpServletRequest.upgrade checked what the engine checks.
            log.error("switching protocols failed on {}", base.getRequestURI(), e);
            response.abort(e);
        }
        response.finish();
        return true;
    }

    /** The async cycle, if any, is over whichever way it ended: its listeners hear onComplete, once. */
    private static void endAsync(SakerRequest base) {
        AsyncCycle async = base.asyncContextOrNull();
        if (async != null) {
            async.completed();
        }
    }

    /**
     * Ends the request, the response last: once it is handed over, the connection may reuse the
     * exchange for its next request, so listeners and clean-up (which read this request) run first.
     */
    private void finishRequest(SakerRequest base) throws IOException {
        try {
            requestListeners(base, false);
        } finally {
            base.recycle();
            base.response().finish();
        }
    }

    private void handleFailure(SakerRequest base, ServletRequest request, ServletResponse response, Throwable failure)
            throws IOException {
        Throwable root = rootCause(failure);
        int status = statusFor(root);
        if (base.response().isCommitted()) {
            // Part of the body is out: a complete-looking end would let clients and caches take the
            // truncated body for the whole one. Abort the connection instead (as Tomcat and Jetty do).
            log.debug("request {} failed after its response was committed; aborting it", base.getRequestURI(), root);
            base.response().abort(root);
            return;
        }
        if (status == 500) {
            log.error("servlet {} failed on {} {}", servletName(base), base.getMethod(), base.getRequestURI(), root);
        }
        base.response().reset();
        base.response().setStatus(status);
        String page = request.getDispatcherType() == DispatcherType.ERROR ? null : errorPages.forException(root);
        Map<String, Object> attributes = errorAttributes(base, status, root.getMessage());
        attributes.put(RequestDispatcher.ERROR_EXCEPTION, root);
        attributes.put(RequestDispatcher.ERROR_EXCEPTION_TYPE, root.getClass());
        if (page == null || !errorDispatch(base, request, response, page, attributes)) {
            defaultErrorBody(base.response(), status);
        }
    }

    private void handleErrorStatus(SakerRequest base, ServletRequest request, ServletResponse response) throws IOException {
        SakerResponse r = base.response();
        int status = r.errorStatus();
        if (status == 0 || r.isCommitted()) {
            return;
        }
        String page = request.getDispatcherType() == DispatcherType.ERROR ? null : errorPages.forStatus(status);
        Map<String, Object> attributes = errorAttributes(base, status, r.errorMessage());
        r.clearErrorForErrorPage();
        if (page == null || !errorDispatch(base, request, response, page, attributes)) {
            defaultErrorBody(r, status);
        }
    }

    /** @return false when the error page itself failed (then the default body is sent) */
    private boolean errorDispatch(SakerRequest base, ServletRequest request, ServletResponse response, String page,
                                  Map<String, Object> attributes) {
        try {
            SakerRequestDispatcher.error(context, base, request, response, page, attributes);
            return true;
        } catch (Throwable t) {
            log.error("error page {} failed", page, t);
            if (base.response().isCommitted()) {
                base.response().abort(t);
            } else {
                base.response().reset();
                base.response().setStatus((Integer) attributes.get(RequestDispatcher.ERROR_STATUS_CODE));
            }
            return false;
        }
    }

    private Map<String, Object> errorAttributes(SakerRequest base, int status, String message) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(RequestDispatcher.ERROR_STATUS_CODE, status);
        attributes.put(RequestDispatcher.ERROR_MESSAGE, message == null ? "" : message);
        attributes.put(RequestDispatcher.ERROR_REQUEST_URI, base.getRequestURI());
        attributes.put(RequestDispatcher.ERROR_QUERY_STRING, base.getQueryString());
        attributes.put(RequestDispatcher.ERROR_METHOD, base.getMethod());
        String servlet = servletName(base);
        if (servlet != null) {
            attributes.put(RequestDispatcher.ERROR_SERVLET_NAME, servlet);
        }
        return attributes;
    }

    private static String servletName(SakerRequest base) {
        return base.match() == null ? null : base.match().servletName();
    }

    private static void defaultErrorBody(SakerResponse response, int status) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        byte[] body = (status + " " + HttpStatus.reasonPhrase(status)).getBytes(StandardCharsets.UTF_8);
        response.getOutputStream().write(body);
    }

    private static int statusFor(Throwable root) {
        if (root instanceof FormException) {
            return ((FormException) root).status();
        }
        if (root instanceof BadRequestException) {
            return ((BadRequestException) root).status();
        }
        return 500;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable current = t;
        while (current instanceof ServletException && ((ServletException) current).getRootCause() != null) {
            current = ((ServletException) current).getRootCause();
        }
        return current;
    }

    void requestListeners(SakerRequest request, boolean initialized) {
        List<ServletRequestListener> listeners = context.listeners(ServletRequestListener.class);
        if (listeners.isEmpty()) {
            return;
        }
        ServletRequestEvent event = new ServletRequestEvent(context, request);
        if (initialized) {
            listeners.forEach(l -> l.requestInitialized(event));
        } else {
            for (int i = listeners.size() - 1; i >= 0; i--) {
                listeners.get(i).requestDestroyed(event);
            }
        }
    }
}
