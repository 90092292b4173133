package dev.saker.servlet.forwarded;

import dev.saker.servlet.request.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.regex.Pattern;

/**
 * The request as the client saw it, from the forwarding fields of a trusted proxy: {@link #origin}
 * reads them; the wrapper presents them for a request that is not the container's own.
 */
final class ForwardedRequest extends HttpServletRequestWrapper {

    private final RequestOrigin origin;

    ForwardedRequest(HttpServletRequest request, RequestOrigin origin) {
        super(request);
        this.origin = origin;
    }

    /** @return what the forwarding fields of {@code request} say about the client */
    static RequestOrigin origin(HttpServletRequest request, Pattern trusted) {
        String forwarded = request.getHeader("Forwarded");
        String forList;
        String proto;
        String hostValue;
        if (forwarded != null) {
            // RFC 7239: use the last element (added by the proxy nearest to us).
            String[] elements = forwarded.split(",");
            forList = collect(elements, "for");
            String last = elements[elements.length - 1];
            proto = param(last, "proto");
            hostValue = param(last, "host");
        } else {
            forList = request.getHeader("X-Forwarded-For");
            proto = first(request.getHeader("X-Forwarded-Proto"));
            hostValue = first(request.getHeader("X-Forwarded-Host"));
        }
        String client = client(forList, trusted, request.getRemoteAddr());
        String scheme = proto == null ? request.getScheme() : proto.toLowerCase(java.util.Locale.ROOT);
        String host = request.getServerName();
        int port = -1;
        if (hostValue != null) {
            int colon = hostValue.lastIndexOf(':');
            if (colon > 0 && colon > hostValue.lastIndexOf(']')) {
                host = hostValue.substring(0, colon);
                port = parsePort(hostValue.substring(colon + 1));
            } else {
                host = hostValue;
            }
        }
        String portHeader = first(request.getHeader("X-Forwarded-Port"));
        if (portHeader != null) {
            port = parsePort(portHeader);
        }
        if (port < 0) {
            port = hostValue != null || proto != null ? ("https".equals(scheme) ? 443 : 80) : request.getServerPort();
        }
        return new RequestOrigin(client, scheme, host, port);
    }

    private static String client(String forList, Pattern trusted, String fallback) {
        if (forList == null) {
            return fallback;
        }
        String[] hops = forList.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = unquote(hops[i].trim());
            if (hop.isEmpty()) {
                continue;
            }
            if (i == 0 || !trusted.matcher(hop).matches()) {
                return hop;
            }
        }
        return fallback;
    }

    private static String collect(String[] elements, String name) {
        StringBuilder all = new StringBuilder();
        for (String element : elements) {
            String value = param(element, name);
            if (value != null) {
                if (all.length() > 0) {
                    all.append(',');
                }
                all.append(stripBracketsAndPort(value));
            }
        }
        return all.length() == 0 ? null : all.toString();
    }

    private static String stripBracketsAndPort(String node) {
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end > 0 ? node.substring(1, end) : node;
        }
        int colon = node.indexOf(':');
        return colon > 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
    }

    private static String param(String element, String name) {
        for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return unquote(pair.substring(eq + 1).trim());
            }
        }
        return null;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static String first(String list) {
        if (list == null) {
            return null;
        }
        int comma = list.indexOf(',');
        String value = (comma < 0 ? list : list.substring(0, comma)).trim();
        return value.isEmpty() ? null : value;
    }

    private static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            return p > 0 && p < 65536 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
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
