package dev.saker.server.admission;

import dev.saker.server.forwarded.IpLiterals;
import dev.saker.server.forwarded.TrustedProxies;
import dev.saker.server.http.HttpHeaders;
import java.net.InetAddress;
import java.util.List;

/**
 * Finds the client of a request that came through trusted proxies: the right-most address of the
 * chosen header ({@code X-Forwarded-For}, or the {@code for=} parameters of {@code Forwarded}) that
 * is not a trusted proxy itself. Entries to its left were written by whoever sent the request to
 * the first trusted proxy, so they cannot be believed. An entry that is no IP literal (a name,
 * {@code unknown}, an obfuscated {@code _id}) ends the search: the client is then unknown.
 */
final class ForwardedClient {

    private final TrustedProxies proxies;
    private final boolean forwarded;

    /** @param forwarded read {@code Forwarded} rather than {@code X-Forwarded-For} */
    ForwardedClient(TrustedProxies proxies, boolean forwarded) {
        this.proxies = proxies;
        this.forwarded = forwarded;
    }

    boolean trusts(InetAddress peer) {
        return proxies.contains(peer);
    }

    /** @return the client named by {@code headers}, or null when they name none usable */
    InetAddress clientOf(HttpHeaders headers) {
        List<String> lines = headers.getAll(forwarded ? "Forwarded" : "X-Forwarded-For");
        if (lines == null) {
            return null;
        }
        InetAddress leftmostTrusted = null;
        for (int l = lines.size() - 1; l >= 0; l--) {
            String[] elements = lines.get(l).split(",");
            for (int e = elements.length - 1; e >= 0; e--) {
                String literal = forwarded ? forParameter(elements[e]) : elements[e].trim();
                InetAddress address = literal == null ? null : IpLiterals.parse(literal);
                if (address == null) {
                    return null;
                }
                if (!proxies.contains(address)) {
                    return address;
                }
                leftmostTrusted = address;
            }
        }
        // Every hop is a trusted proxy: the first of them is the client.
        return leftmostTrusted;
    }

    /** @return the value of {@code for=} in one {@code Forwarded} element, unquoted, or null */
    private static String forParameter(String element) {
        for (String pair : element.split(";")) {
            String p = pair.trim();
            if (p.length() > 4 && p.regionMatches(true, 0, "for=", 0, 4)) {
                String value = p.substring(4).trim();
                if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return null;
    }
}
