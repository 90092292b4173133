package dev.saker.server.forwarded;

import java.util.Locale;

/**
 * What the forwarding fields of a trusted proxy say about the client: its address, and the scheme,
 * host and port it asked for. {@code Forwarded} (RFC 7239) wins over {@code X-Forwarded-*}; of
 * {@code Forwarded} the last element (the nearest proxy's) gives {@code proto} and {@code host}.
 * The client is the right-most {@code for} / {@code X-Forwarded-For} address that is not itself a
 * trusted proxy (as Tomcat's remote IP valve decides). {@code X-Forwarded-Port} overrides the port;
 * with a host or scheme but no port, the scheme's default port.
 *
 * @param client the client's address as the proxy wrote it: an IP literal (IPv6 without brackets
 *        or port), or an obfuscated identifier such as {@code _hidden}
 * @param scheme the scheme the client used, lower case when a field gave it
 * @param host the host the client asked for as the field wrote it (an IPv6 literal keeps its
 *        brackets), or the request's own host when no field names one
 * @param port the port the client asked for
 */
public record ForwardedOrigin(String client, String scheme, String host, int port) {

    /** @return whether {@code fields} carry any forwarding field */
    public static boolean present(ForwardedFields fields) {
        return fields.get("Forwarded") != null || fields.get("X-Forwarded-For") != null
                || fields.get("X-Forwarded-Proto") != null || fields.get("X-Forwarded-Host") != null
                || fields.get("X-Forwarded-Port") != null;
    }

    /**
     * @param fields the request's fields
     * @param trusted the trusted proxies, which a hop of the client list may be
     * @param peer the connecting address (the proxy), the client when the fields name none
     * @param scheme what the request says without the forwarding fields
     * @param host what the request says without the forwarding fields
     * @param port what the request says without the forwarding fields
     */
    public static ForwardedOrigin of(ForwardedFields fields, TrustedProxies trusted, String peer,
            String scheme, String host, int port) {
        String forwarded = fields.get("Forwarded");
        String forList;
        String proto;
        String hostValue;
        if (forwarded != null) {
            String[] elements = forwarded.split(",");
            forList = FieldSyntax.forNodes(elements);
            String last = elements[elements.length - 1];
            proto = FieldSyntax.param(last, "proto");
            hostValue = FieldSyntax.param(last, "host");
        } else {
            forList = fields.get("X-Forwarded-For");
            proto = FieldSyntax.first(fields.get("X-Forwarded-Proto"));
            hostValue = FieldSyntax.first(fields.get("X-Forwarded-Host"));
        }
        String client = client(forList, trusted, peer);
        String originScheme = proto == null ? scheme : proto.toLowerCase(Locale.ROOT);
        String originHost = host;
        int originPort = -1;
        if (hostValue != null) {
            int colon = hostValue.lastIndexOf(':');
            if (colon > 0 && colon > hostValue.lastIndexOf(']')) {
                originHost = hostValue.substring(0, colon);
                originPort = FieldSyntax.port(hostValue.substring(colon + 1));
            } else {
                originHost = hostValue;
            }
        }
        String portField = FieldSyntax.first(fields.get("X-Forwarded-Port"));
        if (portField != null) {
            originPort = FieldSyntax.port(portField);
        }
        if (originPort < 0) {
            originPort = hostValue != null || proto != null ? ("https".equals(originScheme) ? 443 : 80) : port;
        }
        return new ForwardedOrigin(client, originScheme, originHost, originPort);
    }

    /** Right to left, the first hop that is no trusted proxy; the left-most one in any case. */
    private static String client(String forList, TrustedProxies trusted, String fallback) {
        if (forList == null) {
            return fallback;
        }
        String[] hops = forList.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = FieldSyntax.unquote(hops[i].trim());
            if (hop.isEmpty()) {
                continue;
            }
            if (i == 0 || !trusted.contains(hop)) {
                return hop;
            }
        }
        return fallback;
    }

    /** @return whether the client asked for https */
    public boolean secure() {
        return "https".equals(scheme);
    }

    /** @return {@link #host()} without the brackets of an IPv6 literal */
    public String hostWithoutBrackets() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** @return the host as a URI writes it: with a colon (an IPv6 literal), in brackets whether or not the field gave them */
    public String uriHost() {
        String bare = hostWithoutBrackets();
        return bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare;
    }

    /**
     * A proxy that names a scheme or host no URI can carry ({@code X-Forwarded-Host: bad host})
     * sent a malformed request: a server that builds the request's URI from them answers 400.
     *
     * @return whether the scheme and {@link #uriHost()} can be written in a URI as they are
     */
    public boolean fitsUri() {
        return (scheme == null || UriChars.scheme(scheme)) && UriChars.host(uriHost());
    }
}
