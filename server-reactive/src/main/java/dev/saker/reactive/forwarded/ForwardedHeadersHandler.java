package dev.saker.reactive.forwarded;

import dev.saker.server.forwarded.ForwardedFields;
import dev.saker.server.forwarded.ForwardedOrigin;
import dev.saker.server.forwarded.IpLiterals;
import dev.saker.server.forwarded.TrustedProxies;
import dev.saker.server.http.BadRequestException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The reactive server's own handling of {@code Forwarded} (RFC 7239) and {@code X-Forwarded-*}
 * fields (Spring Boot's {@code server.forward-headers-strategy=native}): only when the connection
 * comes from a trusted proxy does the application see the client's address
 * ({@code getRemoteAddress()}) and the scheme, host and port it asked for ({@code getURI()}), as
 * the engine's {@link ForwardedOrigin} reads them (every field of a name, joined into one list).
 * Requests from other peers, and requests without forwarding fields, pass unchanged; the fields
 * themselves are left in place (as Tomcat's remote IP valve leaves them). A trusted proxy's
 * {@code X-Forwarded-Prefix} becomes the request's context path and the start of its path, as on
 * Reactor Netty with Boot's {@code native} strategy: {@code X-Forwarded-Prefix: /api} and
 * {@code GET /hello} give the URI path {@code /api/hello}, the context path {@code /api} and
 * {@code /hello} within the application; a prefix that does not start with a slash is answered 400.
 */
public final class ForwardedHeadersHandler implements HttpHandler {

    /**
     * Tomcat's default internal proxies: IPv4 loopback, link-local, private and carrier-grade NAT
     * ranges; IPv6 loopback, link-local ({@code fe80::/10}) and unique local ({@code fc00::/7}).
     * The same default as the Servlet container's.
     */
    public static final String DEFAULT_TRUSTED_PROXIES = TrustedProxies.DEFAULT_PATTERN;

    private final HttpHandler delegate;
    private final TrustedProxies trustedProxies;

    /**
     * @param delegate the application's handler
     * @param trustedProxies regular expression matched against the connecting address
     */
    public ForwardedHeadersHandler(HttpHandler delegate, String trustedProxies) {
        this.delegate = delegate;
        this.trustedProxies = TrustedProxies.matching(trustedProxies);
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null || peer.getAddress() == null
                || !trustedProxies.contains(peer.getAddress().getHostAddress())) {
            return delegate.handle(request, response);
        }
        HttpHeaders headers = request.getHeaders();
        ForwardedFields fields = name -> joined(headers, name);
        String prefix;
        try {
            prefix = prefix(joined(headers, "X-Forwarded-Prefix"));
        } catch (IllegalArgumentException e) {
            return Mono.error(new BadRequestException(400, "bad_request", e.getMessage()));
        }
        boolean originFields = ForwardedOrigin.present(fields);
        if (!originFields && prefix == null) {
            return delegate.handle(request, response);
        }
        URI uri = request.getURI();
        ServerHttpRequest.Builder forwarded = request.mutate();
        String host = host(uri);
        if (originFields && host == null) {
            // No authority to start from (no Host field): only the client's address can be forwarded.
            ForwardedOrigin client = ForwardedOrigin.of(fields, trustedProxies, peer.getAddress().getHostAddress(),
                    uri.getScheme(), "localhost", port(uri));
            forwarded.remoteAddress(IpLiterals.socketAddress(client.client(), peer.getPort()));
        } else if (originFields) {
            ForwardedOrigin origin = ForwardedOrigin.of(fields, trustedProxies,
                    peer.getAddress().getHostAddress(), uri.getScheme(), host, port(uri));
            if (!origin.fitsUri()) {
                return Mono.error(invalid(origin.scheme() + "://" + origin.uriHost()));
            }
            try {
                uri = uri(uri, origin);
            } catch (IllegalArgumentException invalid) {
                // What the builder verifies beyond scheme and host (the rest of the request's URI).
                return Mono.error(invalid(invalid.getMessage()));
            }
            forwarded.uri(uri).remoteAddress(IpLiterals.socketAddress(origin.client(), peer.getPort()));
        }
        if (prefix != null) {
            try {
                forwarded.uri(UriComponentsBuilder.fromUri(uri).replacePath(prefix + uri.getRawPath()).build(true).toUri())
                        .contextPath(prefix);
            } catch (IllegalArgumentException invalid) {
                return Mono.error(new BadRequestException(400, "bad_request",
                        "invalid X-Forwarded-Prefix: " + invalid.getMessage()));
            }
        }
        return delegate.handle(forwarded.build(), response);
    }

    /**
     * The {@code X-Forwarded-Prefix} as Reactor Netty reads it: comma-separated values joined in
     * order, each without its trailing slashes ({@code "/a/, /b"} is {@code /a/b}).
     *
     * @return the prefix, or {@code null} when the field is absent or adds nothing ({@code "/"})
     * @throws IllegalArgumentException when the prefix does not start with a slash
     */
    private static String prefix(String field) {
        if (field == null) {
            return null;
        }
        StringBuilder prefix = new StringBuilder(field.length());
        for (String value : field.split(",")) {
            String trimmed = value.trim();
            int end = trimmed.length();
            while (end > 0 && trimmed.charAt(end - 1) == '/') {
                end--;
            }
            prefix.append(trimmed, 0, end);
        }
        if (prefix.length() == 0) {
            return null;
        }
        if (prefix.charAt(0) != '/') {
            throw new IllegalArgumentException("X-Forwarded-Prefix does not start with a slash: " + field);
        }
        return prefix.toString();
    }

    private static BadRequestException invalid(String detail) {
        return new BadRequestException(400, "bad_request", "invalid forwarded host or scheme: " + detail);
    }

    /** Several fields of one name are one comma-separated list (RFC 9110 §5.3). */
    private static String joined(HttpHeaders headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    /**
     * The request's host: {@link URI#getHost()}, or, for a name the JDK reads as a registry-based
     * authority ({@code my_host}), the authority without user information and port.
     */
    private static String host(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(0, end + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        String authority = uri.getHost() == null ? uri.getRawAuthority() : null;
        if (authority != null) {
            // A registry-based authority: the digits after its last colon, if any (not inside an IPv6 literal).
            int colon = authority.lastIndexOf(':');
            if (colon > authority.lastIndexOf(']') && colon < authority.length() - 1) {
                try {
                    return Integer.parseInt(authority.substring(colon + 1));
                } catch (NumberFormatException notAPort) {
                    // falls through to the scheme's port
                }
            }
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static URI uri(URI uri, ForwardedOrigin origin) {
        boolean defaultPort = ("https".equals(origin.scheme()) && origin.port() == 443)
                || ("http".equals(origin.scheme()) && origin.port() == 80);
        return UriComponentsBuilder.fromUri(uri).scheme(origin.scheme()).host(origin.uriHost())
                .port(defaultPort ? -1 : origin.port()).build(true).toUri();
    }
}
