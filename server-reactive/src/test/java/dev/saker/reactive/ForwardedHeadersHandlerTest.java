package dev.saker.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.reactive.forwarded.ForwardedHeadersHandler;
import dev.saker.server.testing.RawClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.HttpHandler;
import reactor.core.publisher.Mono;

class ForwardedHeadersHandlerTest {

    private static final HttpHandler ORIGIN = (request, response) -> {
        var remote = request.getRemoteAddress();
        String text = request.getURI() + " from " + remote.getHostString() + (remote.isUnresolved() ? " (unresolved)" : "")
                + ":" + remote.getPort();
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8))));
    };

    private static ReactiveServer behindDefaultProxies() {
        return new ReactiveServer(new ForwardedHeadersHandler(ORIGIN, ForwardedHeadersHandler.DEFAULT_TRUSTED_PROXIES));
    }

    private static RawClient.Response get(int port, String fields) throws Exception {
        try (RawClient client = new RawClient(port)) {
            return client.send("GET /p HTTP/1.1\r\nHost: internal\r\n" + fields + "\r\n").read();
        }
    }

    @Test
    void theClientIsTheRightMostUntrustedHopAndAnObfuscatedOneStaysUnresolved() throws Exception {
        try (ReactiveServer server = behindDefaultProxies()) {
            String body = get(server.port(), "X-Forwarded-For: 198.51.100.1, 203.0.113.9, 10.1.2.3\r\n").bodyText();
            assertThat(body).startsWith("http://internal/p from 203.0.113.9:");
            assertThat(get(server.port(), "Forwarded: for=unknown;proto=http, for=_hidden\r\n").bodyText())
                    .startsWith("http://internal/p from _hidden (unresolved):");
            // Not a literal the JDK would parse as such: kept as it is, never looked up.
            assertThat(get(server.port(), "X-Forwarded-For: 999.1.1.1\r\n").bodyText())
                    .startsWith("http://internal/p from 999.1.1.1 (unresolved):");
            assertThat(get(server.port(), "X-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\n").bodyText())
                    .startsWith("https://internal:8443/p from 127.0.0.1:");
        }
    }

    @Test
    void anIpv6HostGoesInBracketsAndSeveralFieldsOfOneNameAreOneList() throws Exception {
        try (ReactiveServer server = behindDefaultProxies()) {
            assertThat(get(server.port(), "X-Forwarded-Host: [2001:db8::7]:8443\r\n").bodyText())
                    .startsWith("http://[2001:db8::7]:8443/p from 127.0.0.1:");
            assertThat(get(server.port(), "Forwarded: host=\"[2001:db8::7]\";proto=https\r\n").bodyText())
                    .startsWith("https://[2001:db8::7]/p from 127.0.0.1:");
            assertThat(get(server.port(), "Forwarded: for=\"[2001:db8::1]:4711\"\r\n").bodyText())
                    .startsWith("http://internal/p from 2001:db8:0:0:0:0:0:1:");
            assertThat(get(server.port(), "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 198.51.100.2\r\n").bodyText())
                    .startsWith("http://internal/p from 198.51.100.2:");
        }
    }

    @Test
    void aForwardedHostNoUriCanCarryIs400() throws Exception {
        try (ReactiveServer server = behindDefaultProxies()) {
            assertThat(get(server.port(), "X-Forwarded-Host: bad host\r\n").status()).isEqualTo(400);
            assertThat(get(server.port(), "X-Forwarded-Host: [fe80::1%eth0]\r\n").status()).isEqualTo(400);
            assertThat(get(server.port(), "X-Forwarded-Proto: ht tp\r\n").status()).isEqualTo(400);
        }
    }

    @Test
    void aTrustedPrefixBecomesTheContextPathAsOnReactorNetty() throws Exception {
        HttpHandler paths = (request, response) -> {
            String text = request.getURI() + " context=" + request.getPath().contextPath().value() + " within="
                    + request.getPath().pathWithinApplication().value();
            return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8))));
        };
        try (ReactiveServer server = new ReactiveServer(new ForwardedHeadersHandler(paths,
                ForwardedHeadersHandler.DEFAULT_TRUSTED_PROXIES))) {
            assertThat(get(server.port(), "X-Forwarded-Prefix: /api\r\n").bodyText())
                    .isEqualTo("http://internal/api/p context=/api within=/p");
            assertThat(get(server.port(), "X-Forwarded-Prefix: /a/, /b//\r\nX-Forwarded-Proto: https\r\n").bodyText())
                    .isEqualTo("https://internal/a/b/p context=/a/b within=/p");
            assertThat(get(server.port(), "X-Forwarded-Prefix: /\r\n").bodyText())
                    .isEqualTo("http://internal/p context= within=/p");
            assertThat(get(server.port(), "X-Forwarded-Prefix: api\r\n").status()).isEqualTo(400);
        }
        try (ReactiveServer server = new ReactiveServer(new ForwardedHeadersHandler(paths, "192\\.0\\.2\\.1"))) {
            // Not from a trusted proxy: the field is ignored.
            assertThat(get(server.port(), "X-Forwarded-Prefix: /api\r\n").bodyText())
                    .isEqualTo("http://internal/p context= within=/p");
        }
    }

    @Test
    void aHostTheJdkReadsAsARegistryNameIsKept() throws Exception {
        try (ReactiveServer server = behindDefaultProxies(); RawClient client = new RawClient(server.port())) {
            RawClient.Response response = client.send("GET /p HTTP/1.1\r\nHost: my_host:8080\r\n"
                    + "X-Forwarded-For: 203.0.113.9\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).startsWith("http://my_host:8080/p from 203.0.113.9:");
        }
    }
}
