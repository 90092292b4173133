package dev.saker.servlet.dispatch;

import dev.saker.servlet.context.SakerServletContext;
import dev.saker.servlet.context.ServletHolder;
import dev.saker.servlet.mapping.ServletMatch;
import dev.saker.servlet.request.RequestPath;
import dev.saker.servlet.request.SakerRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** Forward and include (Servlet 6.1, chapter 9), by path or by servlet name; also error and async dispatches. */
public final class SakerRequestDispatcher implements RequestDispatcher {

    private final SakerServletContext context;
    private final String rawPath;
    private final String query;
    private final ServletHolder named;

    private SakerRequestDispatcher(SakerServletContext context, String rawPath, String query, ServletHolder named) {
        this.context = context;
        this.rawPath = rawPath;
        this.query = query;
        this.named = named;
    }

    /** @param pathAndQuery a context-relative path starting with '/', optionally with {@code ?query} */
    public static SakerRequestDispatcher forPath(SakerServletContext context, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return new SakerRequestDispatcher(context, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                q < 0 ? null : pathAndQuery.substring(q + 1), null);
    }

    public static SakerRequestDispatcher named(SakerServletContext context, ServletHolder holder) {
        return new SakerRequestDispatcher(context, null, null, holder);
    }

    @Override
    public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        if (response.isCommitted()) {
            throw new IllegalStateException("forward after the response was committed");
        }
        response.resetBuffer();
        SakerRequest base = base(request);
        HttpServletRequest http = (HttpServletRequest) request;
        if (named != null) {
            Invoker.invokeHolder(context, base, request, response, DispatcherType.FORWARD, named, base.contextRelativePath());
        } else {
            String path = decode(rawPath);
            ServletMatch match = context.match(path);
            DispatchedRequest forwarded = new DispatchedRequest(http, DispatcherType.FORWARD, true,
                    context.getContextPath() + rawPath, match, query);
            if (http.getAttribute(FORWARD_REQUEST_URI) == null) {
                forwarded.putDispatchAttribute(FORWARD_REQUEST_URI, http.getRequestURI());
                forwarded.putDispatchAttribute(FORWARD_CONTEXT_PATH, http.getContextPath());
                forwarded.putDispatchAttribute(FORWARD_SERVLET_PATH, http.getServletPath());
                forwarded.putDispatchAttribute(FORWARD_PATH_INFO, http.getPathInfo());
                forwarded.putDispatchAttribute(FORWARD_QUERY_STRING, http.getQueryString());
                forwarded.putDispatchAttribute(FORWARD_MAPPING, http.getHttpServletMapping());
            }
            Invoker.invoke(context, base, forwarded, response, DispatcherType.FORWARD, match, path);
        }
        if (!base.isAsyncStarted()) {
            // "Committed and closed" (Servlet 6.1, 9.4): nothing more is written; the container
            // hands the response over when the request ends.
            base.response().closeBody();
        }
    }

    @Override
    public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        SakerRequest base = base(request);
        HttpServletResponse included = new IncludedResponse((HttpServletResponse) response);
        if (named != null) {
            Invoker.invokeHolder(context, base, request, included, DispatcherType.INCLUDE, named, base.contextRelativePath());
            return;
        }
        String path = decode(rawPath);
        ServletMatch match = context.match(path);
        DispatchedRequest including = new DispatchedRequest((HttpServletRequest) request, DispatcherType.INCLUDE, false,
                null, match, query);
        including.putDispatchAttribute(INCLUDE_REQUEST_URI, context.getContextPath() + rawPath);
        including.putDispatchAttribute(INCLUDE_CONTEXT_PATH, context.getContextPath());
        if (match != null) {
            including.putDispatchAttribute(INCLUDE_SERVLET_PATH, match.servletPath());
            including.putDispatchAttribute(INCLUDE_PATH_INFO, match.pathInfo());
            including.putDispatchAttribute(INCLUDE_MAPPING, match);
        }
        including.putDispatchAttribute(INCLUDE_QUERY_STRING, query);
        Invoker.invoke(context, base, including, included, DispatcherType.INCLUDE, match, path);
    }

    /**
     * Dispatches to an error page with the {@code jakarta.servlet.error.*} attributes.
     *
     * @param location the error page path (context-relative)
     */
    public static void error(SakerServletContext context, SakerRequest base, ServletRequest request,
                             ServletResponse response, String location, Map<String, Object> attributes)
            throws ServletException, IOException {
        SakerRequestDispatcher target = forPath(context, location);
        String path = decode(target.rawPath);
        ServletMatch match = context.match(path);
        DispatchedRequest error = new DispatchedRequest((HttpServletRequest) request, DispatcherType.ERROR, true,
                context.getContextPath() + target.rawPath, match, target.query);
        attributes.forEach(error::putDispatchAttribute);
        Invoker.invoke(context, base, error, response, DispatcherType.ERROR, match, path);
    }

    /** Runs an {@code AsyncContext.dispatch} to {@code pathAndQuery} with the async attributes. */
    public static void async(SakerServletContext context, SakerRequest base, HttpServletRequest original,
                             ServletRequest request, ServletResponse response, String pathAndQuery)
            throws ServletException, IOException {
        SakerRequestDispatcher target = forPath(context, pathAndQuery);
        String path = decode(target.rawPath);
        ServletMatch match = context.match(path);
        DispatchedRequest async = new DispatchedRequest((HttpServletRequest) request, DispatcherType.ASYNC, true,
                context.getContextPath() + target.rawPath, match, target.query);
        async.putDispatchAttribute(jakarta.servlet.AsyncContext.ASYNC_REQUEST_URI, original.getRequestURI());
        async.putDispatchAttribute(jakarta.servlet.AsyncContext.ASYNC_CONTEXT_PATH, original.getContextPath());
        async.putDispatchAttribute(jakarta.servlet.AsyncContext.ASYNC_SERVLET_PATH, original.getServletPath());
        async.putDispatchAttribute(jakarta.servlet.AsyncContext.ASYNC_PATH_INFO, original.getPathInfo());
        async.putDispatchAttribute(jakarta.servlet.AsyncContext.ASYNC_QUERY_STRING, original.getQueryString());
        async.putDispatchAttribute(jakarta.servlet.AsyncContext.ASYNC_MAPPING, original.getHttpServletMapping());
        Invoker.invoke(context, base, async, response, DispatcherType.ASYNC, match, path);
    }

    /** @return the container's request under any application wrappers */
    public static SakerRequest base(ServletRequest request) {
        ServletRequest r = request;
        while (r instanceof ServletRequestWrapper) {
            r = ((ServletRequestWrapper) r).getRequest();
        }
        if (!(r instanceof SakerRequest)) {
            throw new IllegalArgumentException("the request does not wrap the container's request: " + r.getClass());
        }
        return (SakerRequest) r;
    }

    private static String decode(String rawPath) throws ServletException {
        try {
            return RequestPath.parse(rawPath, true, "jsessionid").decoded();
        } catch (RequestPath.InvalidPathException e) {
            throw new ServletException("invalid dispatch path '" + rawPath + "': " + e.getMessage());
        }
    }
}
