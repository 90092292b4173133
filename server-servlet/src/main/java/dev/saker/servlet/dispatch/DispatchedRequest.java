package dev.saker.servlet.dispatch;

import dev.saker.server.http1.QueryDecoder;
import dev.saker.servlet.mapping.ServletMatch;
import dev.saker.servlet.request.RequestOrigin;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request as a forwarded, included, error or async dispatch sees it: paths of the target (or,
 * for include, of the original with {@code jakarta.servlet.include.*} attributes), the dispatch's
 * type, the dispatch's own attributes layered over the request's, and query parameters of the
 * dispatch path merged in front of the existing ones (Servlet 6.1, 9.1.1).
 */
final class DispatchedRequest extends HttpServletRequestWrapper {

    private final DispatcherType type;
    private final String requestUri;
    private final String servletPath;
    private final String pathInfo;
    private final String queryString;
    private final ServletMatch mapping;
    private final Map<String, Object> dispatchAttributes = new LinkedHashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();
    private final Map<String, String[]> extraParameters;
    private Map<String, String[]> mergedParameters;

    /**
     * @param pathsOfTarget true for forward, error and async (paths become the target's); false for include
     */
    DispatchedRequest(HttpServletRequest request, DispatcherType type, boolean pathsOfTarget, String requestUri,
                      ServletMatch match, String query) {
        super(request);
        this.type = type;
        if (pathsOfTarget) {
            this.requestUri = requestUri;
            this.servletPath = match == null ? "" : match.servletPath();
            this.pathInfo = match == null ? null : match.pathInfo();
            this.queryString = query != null ? query : request.getQueryString();
            this.mapping = match;
        } else {
            this.requestUri = request.getRequestURI();
            this.servletPath = request.getServletPath();
            this.pathInfo = request.getPathInfo();
            this.queryString = request.getQueryString();
            this.mapping = null;
        }
        this.extraParameters = query == null ? Collections.emptyMap() : toArrays(QueryDecoder.parse(query, true));
    }

    void putDispatchAttribute(String name, Object value) {
        if (value != null) {
            dispatchAttributes.put(name, value);
        }
    }

    @Override
    public DispatcherType getDispatcherType() {
        return type;
    }

    @Override
    public String getRequestURI() {
        return requestUri;
    }

    @Override
    public StringBuffer getRequestURL() {
        return RequestOrigin.appendBase(new StringBuffer(), getScheme(), getServerName(), getServerPort())
                .append(requestUri);
    }

    @Override
    public String getServletPath() {
        return servletPath;
    }

    @Override
    public String getPathInfo() {
        return pathInfo;
    }

    @Override
    public String getQueryString() {
        return queryString;
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return mapping != null ? mapping : super.getHttpServletMapping();
    }

    @Override
    public Object getAttribute(String name) {
        if (removed.contains(name)) {
            return null;
        }
        Object own = dispatchAttributes.get(name);
        return own != null ? own : super.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        Set<String> names = new LinkedHashSet<>(dispatchAttributes.keySet());
        names.addAll(Collections.list(super.getAttributeNames()));
        names.removeAll(removed);
        return Collections.enumeration(names);
    }

    @Override
    public void setAttribute(String name, Object o) {
        removed.remove(name);
        if (dispatchAttributes.containsKey(name)) {
            dispatchAttributes.put(name, o);
        } else {
            super.setAttribute(name, o);
        }
    }

    @Override
    public void removeAttribute(String name) {
        if (dispatchAttributes.remove(name) != null) {
            removed.add(name);
        }
        super.removeAttribute(name);
    }

    @Override
    public String getParameter(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (extraParameters.isEmpty()) {
            return super.getParameterMap();
        }
        if (mergedParameters == null) {
            Map<String, String[]> merged = new LinkedHashMap<>(extraParameters);
            super.getParameterMap().forEach((name, values) -> merged.merge(name, values, (first, second) -> {
                String[] both = new String[first.length + second.length];
                System.arraycopy(first, 0, both, 0, first.length);
                System.arraycopy(second, 0, both, first.length, second.length);
                return both;
            }));
            mergedParameters = Collections.unmodifiableMap(merged);
        }
        return mergedParameters;
    }

    private static Map<String, String[]> toArrays(Map<String, List<String>> lists) {
        Map<String, String[]> arrays = new LinkedHashMap<>();
        lists.forEach((k, v) -> arrays.put(k, new ArrayList<>(v).toArray(new String[0])));
        return arrays;
    }
}
