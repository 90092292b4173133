package dev.saker.server.http2;

import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http1.Http1Upgrade;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * h2c by {@code Upgrade} (RFC 7540 §3.2) on a cleartext listener with HTTP/2 on: a request with
 * {@code Upgrade: h2c}, {@code Connection: Upgrade, HTTP2-Settings} and exactly one valid
 * {@code HTTP2-Settings} field switches its connection to HTTP/2 and becomes stream 1 there. A
 * request that lacks any of these, or whose {@code HTTP2-Settings} is malformed, is served as
 * HTTP/1.1 (a server may ignore {@code Upgrade}; answering 400 would break a client that merely
 * hoped for HTTP/2).
 */
public final class H2cUpgrade implements Http1Upgrade {

    /** Fields that describe the HTTP/1.1 connection, not the request: not carried into HTTP/2 (RFC 9113 §8.2.2). */
    private static final Set<String> CONNECTION_FIELDS = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "http2-settings", "host");

    private final Http2Protocol http2;
    private final ServerRuntime runtime;
    private final long maxBodySize;

    public H2cUpgrade(ServerRuntime runtime, Http2Protocol http2) {
        this.runtime = runtime;
        this.http2 = http2;
        this.maxBodySize = runtime.config().http2MaxUpgradeBodySize();
    }

    @Override
    public long maxBodySize() {
        return maxBodySize;
    }

    @Override
    public Switch prepare(String method, String path, String authority, HttpHeaders fields) {
        if (!hasToken(fields.getAll("Upgrade"), "h2c")) {
            return null;
        }
        Set<String> options = tokens(fields.getAll("Connection"));
        if (!options.contains("upgrade") || !options.contains("http2-settings")) {
            return null;
        }
        List<String> settingsFields = fields.getAll("HTTP2-Settings");
        if (settingsFields.size() != 1) {
            return null;
        }
        Http2Settings settings = H2cSettings.decode(settingsFields.get(0));
        if (settings == null) {
            return null;
        }
        Http2Headers headers;
        try {
            headers = headers(method, path, authority, fields, options);
        } catch (RuntimeException notAnHttp2Field) {
            return null;
        }
        return new H2cSwitch(runtime.stats(), http2, settings, headers);
    }

    /** The request head as stream 1's HEADERS: pseudo-header fields, then the request's own fields. */
    private static Http2Headers headers(String method, String path, String authority, HttpHeaders fields,
            Set<String> connectionOptions) {
        Http2Headers headers = new DefaultHttp2Headers(true, fields.size() + 4);
        headers.method(method).scheme("http").path(path);
        if (authority != null) {
            headers.authority(authority);
        }
        for (int i = 0, n = fields.size(); i < n; i++) {
            String name = fields.name(i).toLowerCase(Locale.ROOT);
            if (CONNECTION_FIELDS.contains(name) || connectionOptions.contains(name)) {
                continue;
            }
            String value = fields.value(i);
            if (name.equals("te") && !value.equalsIgnoreCase("trailers")) {
                continue;
            }
            headers.add(name, value);
        }
        return headers;
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String value : values) {
            for (String item : value.split(",")) {
                if (item.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Set<String> tokens(List<String> values) {
        Set<String> tokens = new HashSet<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                String token = item.trim();
                if (!token.isEmpty()) {
                    tokens.add(token.toLowerCase(Locale.ROOT));
                }
            }
        }
        return tokens;
    }
}
