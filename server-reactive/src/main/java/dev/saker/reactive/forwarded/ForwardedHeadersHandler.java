package dev.saker.reactive.forwarded;

import dev.saker.server.http.BadRequestException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
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
 * {@link ForwardedOrigin} reads them. Requests from other peers, and requests without forwarding
 * fields, pass unchanged; the fields themselves are left in place (as Tomcat's remote IP valve
 * leaves them). {@code X-Forwarded-Prefix} is Spring's {@code ForwardedHeaderTransformer}'s
 * ({@code framework} strategy).
 */
public final class ForwardedHeadersHandler implements HttpHandler {

    /**
     * Tomcat's default internal proxies: IPv4 loopback, link-local, private and carrier-grade NAT
     * ranges; IPv6 loopback, link-local ({@code fe80::/10}) and unique local ({@code fc00::/7}).
     * The same default as the Servlet container's.
     */
    public static final String DEFAULT_TRUSTED_PROXIES = "10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|"
            + "192\\.168\\.\\d{1,3}\\.\\d{1,3}|169\\.254\\.\\d{1,3}\\.\\d{1,3}|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|"
            + "100\\.6[4-9]{1}\\.\\d{1,3}\\.\\d{1,3}|100\\.[7-9]{1}\\d{1}\\.\\d{1,3}\\.\\d{1,3}|"
            + "100\\.1[0-1]{1}\\d{1}\\.\\d{1,3}\\.\\d{1,3}|100\\.12[0-7]{1}\\.\\d{1,3}\\.\\d{1,3}|"
            + "172\\.1[6-9]{1}\\.\\d{1,3}\\.\\d{1,3}|172\\.2[0-9]{1}\\.\\d{1,3}\\.\\d{1,3}|"
            + "172\\.3[0-1]{1}\\.\\d{1,3}\\.\\d{1,3}|0:0:0:0:0:0:0:1|::1|fe[89ab]\\p{XDigit}:.*|f[cd]\\p{XDigit}{2}:.*";

    /** A dotted-quad IPv4 literal the JDK parses without a name lookup (no leading zeros, octets up to 255). */
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private final HttpHandler delegate;
    private final Pattern trustedProxies;

    /**
     * @param delegate the application's handler
     * @param trustedProxies regular expression matched against the connecting address
     */
    public ForwardedHeadersHandler(HttpHandler delegate, String trustedProxies) {
        this.delegate = delegate;
        this.trustedProxies = Pattern.compile(trustedProxies);
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null || peer.getAddress() == null
                || !trustedProxies.matcher(peer.getAddress().getHostAddress()).matches()
                || !ForwardedOrigin.present(request.getHeaders())) {
            return delegate.handle(request, response);
        }
        URI uri = request.getURI();
        ForwardedOrigin origin = ForwardedOrigin.of(request.getHeaders(), trustedProxies,
                peer.getAddress().getHostAddress(), uri.getScheme(), uri.getHost(), port(uri));
        URI forwardedUri;
        try {
            forwardedUri = uri(uri, origin);
        } catch (IllegalArgumentException invalid) {
            // A host or scheme no URI can carry: the proxy's request is malformed.
            return Mono.error(new BadRequestException(400, "bad_request", "invalid forwarded host or scheme: " + invalid.getMessage()));
        }
        ServerHttpRequest forwarded = request.mutate()
                .uri(forwardedUri)
                .remoteAddress(address(origin.client(), peer.getPort()))
                .build();
        return delegate.handle(forwarded, response);
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static URI uri(URI uri, ForwardedOrigin origin) {
        boolean defaultPort = ("https".equals(origin.scheme()) && origin.port() == 443)
                || ("http".equals(origin.scheme()) && origin.port() == 80);
        String host = origin.host() != null && origin.host().indexOf(':') >= 0 ? "[" + origin.host() + "]" : origin.host();
        return UriComponentsBuilder.fromUri(uri).scheme(origin.scheme()).host(host)
                .port(defaultPort ? -1 : origin.port()).build(true).toUri();
    }

    /**
     * An IP literal becomes an address; anything else (an obfuscated identifier such as
     * {@code _hidden}, or {@code unknown}) stays unresolved. Never a name lookup: an IPv4 literal
     * is checked before the JDK parses it, and an IPv6 one is given in brackets, which the JDK
     * parses as a literal or refuses.
     */
    private static InetSocketAddress address(String client, int port) {
        String literal = IPV4.matcher(client).matches() ? client : client.indexOf(':') >= 0 ? "[" + client + "]" : null;
        if (literal != null) {
            try {
                return new InetSocketAddress(InetAddress.getByName(literal), port);
            } catch (UnknownHostException notALiteral) {
                return InetSocketAddress.createUnresolved(client, port);
            }
        }
        return InetSocketAddress.createUnresolved(client, port);
    }
}
