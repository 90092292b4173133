package dev.saker.servlet.request;

/**
 * Where a request came from as the client saw it, when a trusted proxy says so (forwarding
 * fields): set on the request itself, like Tomcat's remote IP valve, so every view of it
 * (wrappers, forwarded, included, async and error dispatches, session cookies) agrees.
 *
 * @param remoteAddr the client's address
 * @param scheme "http" or "https"
 * @param serverName the host the client asked for
 * @param serverPort the port the client connected to
 */
public record RequestOrigin(String remoteAddr, String scheme, String serverName, int serverPort) {

    /** Appends {@code scheme://host[:port]}, leaving out the scheme's default port and bracketing IPv6 hosts. */
    public static StringBuffer appendBase(StringBuffer url, String scheme, String host, int port) {
        url.append(scheme).append("://");
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            url.append('[').append(host).append(']');
        } else {
            url.append(host);
        }
        boolean defaultPort = ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        if (port > 0 && !defaultPort) {
            url.append(':').append(port);
        }
        return url;
    }
}
