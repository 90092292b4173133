package dev.saker.reactive.forwarded;

import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;

/**
 * What the forwarding fields of a trusted proxy say about the client: its address, and the scheme,
 * host and port it asked for. {@code Forwarded} (RFC 7239) wins over {@code X-Forwarded-*}; of
 * {@code Forwarded} the last element (the nearest proxy's) gives {@code proto} and {@code host}.
 * The client is the right-most {@code for} / {@code X-Forwarded-For} address that is not itself a
 * trusted proxy (as Tomcat's remote IP valve and the Servlet container's native handling decide).
 * {@code X-Forwarded-Port} overrides the port; with a host or scheme but no port, the scheme's
 * default port.
 *
 * @param client the client's address as the proxy wrote it (an IP literal, or an obfuscated identifier)
 * @param scheme {@code http} or {@code https} (lower case)
 * @param host the host the client asked for, without brackets
 * @param port the port the client asked for
 */
record ForwardedOrigin(String client, String scheme, String host, int port) {

    /** @return whether {@code headers} carry any forwarding field */
    static boolean present(HttpHeaders headers) {
        return headers.getFirst("Forwarded") != null || headers.getFirst("X-Forwarded-For") != null
                || headers.getFirst("X-Forwarded-Proto") != null || headers.getFirst("X-Forwarded-Host") != null
                || headers.getFirst("X-Forwarded-Port") != null;
    }

    /**
     * @param headers the request's fields
     * @param trusted the trusted proxies' addresses
     * @param peer the connecting address (the proxy)
     * @param scheme, host, port what the request says without the forwarding fields
     */
    static ForwardedOrigin of(HttpHeaders headers, Pattern trusted, String peer, String scheme, String host, int port) {
        String forwarded = joined(headers, "Forwarded");
        String forList;
        String proto;
        String hostValue;
        if (forwarded != null) {
            String[] elements = forwarded.split(",");
            forList = collect(elements, "for");
            String last = elements[elements.length - 1];
            proto = param(last, "proto");
            hostValue = param(last, "host");
        } else {
            forList = joined(headers, "X-Forwarded-For");
            proto = first(headers.getFirst("X-Forwarded-Proto"));
            hostValue = first(headers.getFirst("X-Forwarded-Host"));
        }
        String client = client(forList, trusted, peer);
        String originScheme = proto == null ? scheme : proto.toLowerCase(Locale.ROOT);
        String originHost = host;
        int originPort = -1;
        if (hostValue != null) {
            int colon = hostValue.lastIndexOf(':');
            if (colon > 0 && colon > hostValue.lastIndexOf(']')) {
                originHost = hostValue.substring(0, colon);
                originPort = parsePort(hostValue.substring(colon + 1));
            } else {
                originHost = hostValue;
            }
        }
        String portField = first(headers.getFirst("X-Forwarded-Port"));
        if (portField != null) {
            originPort = parsePort(portField);
        }
        if (originPort < 0) {
            originPort = hostValue != null || proto != null ? ("https".equals(originScheme) ? 443 : 80) : port;
        }
        return new ForwardedOrigin(client, originScheme, unbracket(originHost), originPort);
    }

    /** Several fields of one name are one comma-separated list (RFC 9110 §5.3). */
    private static String joined(HttpHeaders headers, String name) {
        java.util.List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : String.join(",", values);
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
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
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
}
