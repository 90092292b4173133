package dev.saker.reactive;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.HttpExchange;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;

/**
 * Spring's reactive request over the engine's {@link HttpExchange}: headers are read in place, the
 * body is a {@link Flux} whose demand drives the socket reads (see {@link RequestBodyPublisher}).
 */
public final class SakerServerHttpRequest extends AbstractServerHttpRequest {

    private final HttpExchange exchange;
    private final Flux<DataBuffer> body;

    SakerServerHttpRequest(HttpExchange exchange, NettyDataBufferFactory factory, UriCache uris)
            throws BadRequestException {
        super(HttpMethod.valueOf(exchange.method()), uri(exchange, uris), "",
                new HttpHeaders(new RequestHeadersAdapter(exchange.requestHeaders())));
        this.exchange = exchange;
        this.body = exchange.requestBody().contentLength() == 0
                ? Flux.empty()
                : new RequestBodyPublisher(exchange.requestBody(), factory);
    }

    /**
     * The full URI: scheme from the connection, host and port from the request, raw path and query.
     * An origin-form request (the usual kind) with a {@code Host} field reuses the URI of an earlier
     * request with the same scheme, {@code Host} and target.
     */
    static URI uri(HttpExchange exchange, UriCache uris) throws BadRequestException {
        boolean secure = exchange.sslSession() != null;
        String hostField = exchange.requestHeaders().get("Host");
        String target = exchange.rawTarget();
        if (hostField == null || hostField.isEmpty() || !target.startsWith("/")) {
            return uri(exchange, secure, null);
        }
        URI cached = uris.get(secure, hostField, target);
        if (cached == null) {
            cached = uri(exchange, secure, hostField);
            uris.put(secure, hostField, target, cached);
        }
        return cached;
    }

    /** Parses the URI; {@code hostField} is the authority of an origin-form request, else {@code null}. */
    private static URI uri(HttpExchange exchange, boolean secure, String hostField) throws BadRequestException {
        String path = exchange.rawPath();
        StringBuilder uri = new StringBuilder(64).append(secure ? "https" : "http").append("://");
        if (hostField != null) {
            // The Host field (validated by the engine) is the authority as it is.
            uri.append(hostField);
        } else {
            authority(exchange, uri);
        }
        uri.append(path.startsWith("/") ? path : "/");
        String query = exchange.rawQuery();
        if (query != null) {
            uri.append('?').append(query);
        }
        try {
            return new URI(uri.toString());
        } catch (URISyntaxException e) {
            throw new BadRequestException(400, "bad_uri", "request target is not a valid URI: " + e.getMessage());
        }
    }

    /** Appends the authority of an absolute-form target, else host and port from the Host field or the local address. */
    private static void authority(HttpExchange exchange, StringBuilder uri) {
        String target = exchange.rawTarget();
        int schemeEnd = target.indexOf("://");
        if (schemeEnd > 0 && target.indexOf('/') > schemeEnd) {
            int start = schemeEnd + 3;
            int end = start;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            if (end > start) {
                uri.append(target, start, end);
                return;
            }
        }
        String host = exchange.host();
        int port = -1;
        if (host == null || host.isEmpty()) {
            InetSocketAddress local = exchange.localAddress();
            host = local.getHostString();
            port = local.getPort();
        } else {
            port = portOf(exchange.requestHeaders().get("Host"));
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        uri.append(host);
        if (port >= 0) {
            uri.append(':').append(port);
        }
    }

    /** @return the port of a {@code Host} value ({@code host:port}, {@code [v6]:port}), or -1 */
    private static int portOf(String hostField) {
        if (hostField == null) {
            return -1;
        }
        int colon = hostField.lastIndexOf(':');
        if (colon < 0 || hostField.indexOf(']', colon) >= 0 || colon == hostField.length() - 1) {
            return -1;
        }
        try {
            return Integer.parseInt(hostField.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    protected MultiValueMap<String, HttpCookie> initCookies() {
        MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
        for (String field : exchange.requestHeaders().getAll("Cookie")) {
            CookieParser.parse(field, cookie -> cookies.add(cookie.getName(), cookie));
        }
        return cookies;
    }

    @Override
    protected SslInfo initSslInfo() {
        SSLSession session = exchange.sslSession();
        if (session == null) {
            return null;
        }
        byte[] id = session.getId();
        String sessionId = id == null || id.length == 0 ? null : HexFormat.of().formatHex(id);
        return SslInfo.from(sessionId, peerCertificates(session));
    }

    private static X509Certificate[] peerCertificates(SSLSession session) {
        Certificate[] certificates;
        try {
            certificates = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return new X509Certificate[0];
        }
        List<X509Certificate> x509 = new ArrayList<>(certificates.length);
        for (Certificate certificate : certificates) {
            if (certificate instanceof X509Certificate c) {
                x509.add(c);
            }
        }
        return x509.toArray(new X509Certificate[0]);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return exchange.remoteAddress();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return exchange.localAddress();
    }

    @Override
    public Flux<DataBuffer> getBody() {
        return body;
    }

    /** @return the engine's {@link HttpExchange} */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getNativeRequest() {
        return (T) exchange;
    }
}
