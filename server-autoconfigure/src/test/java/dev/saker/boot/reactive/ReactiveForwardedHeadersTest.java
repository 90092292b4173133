package dev.saker.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code server.forward-headers-strategy} in a WebFlux application on Saker: {@code native} makes
 * Saker apply the forwarding fields of a trusted proxy (loopback is one by default), {@code framework}
 * leaves them to Spring's {@code ForwardedHeaderTransformer}; either way the application sees the
 * client's address, scheme, host and port.
 */
class ReactiveForwardedHeadersTest {

    private static final String FORWARDED_REQUEST = "GET /origin?q=1 HTTP/1.1\r\nHost: internal:8080\r\n"
            + "X-Forwarded-For: 203.0.113.7, 10.0.0.2\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n\r\n";

    @Test
    void nativeAppliesTheFieldsOfATrustedProxy() throws Exception {
        try (ConfigurableApplicationContext context = start("server.forward-headers-strategy=native")) {
            assertThat(get(context, FORWARDED_REQUEST)).isEqualTo("https://shop.example/origin?q=1 from 203.0.113.7");
            assertThat(get(context, "GET /origin HTTP/1.1\r\nHost: internal:8080\r\n"
                    + "Forwarded: for=\"[2001:db8::1]:4711\";proto=https;host=\"shop.example:8443\"\r\n\r\n"))
                    .isEqualTo("https://shop.example:8443/origin from 2001:db8:0:0:0:0:0:1");
            assertThat(get(context, "GET /origin HTTP/1.1\r\nHost: internal:8080\r\n\r\n"))
                    .isEqualTo("http://internal:8080/origin from 127.0.0.1");
            // As on Reactor Netty: the prefix is the context path, the controller is still found.
            assertThat(get(context, "GET /origin HTTP/1.1\r\nHost: internal:8080\r\nX-Forwarded-Prefix: /shop\r\n"
                    + "X-Forwarded-Host: shop.example\r\n\r\n"))
                    .isEqualTo("http://shop.example/shop/origin from 127.0.0.1");
        }
    }

    @Test
    void nativeIgnoresTheFieldsOfAnUntrustedPeer() throws Exception {
        try (ConfigurableApplicationContext context = start("server.forward-headers-strategy=native",
                "saker.server.forwarded.trusted-proxies=10\\.0\\.0\\.1")) {
            assertThat(get(context, FORWARDED_REQUEST)).isEqualTo("http://internal:8080/origin?q=1 from 127.0.0.1");
        }
    }

    @Test
    void frameworkLeavesThemToSpringsTransformer() throws Exception {
        try (ConfigurableApplicationContext context = start("server.forward-headers-strategy=framework")) {
            assertThat(context.getBean(SakerReactiveWebServerFactory.class).isUseForwardHeaders()).isFalse();
            assertThat(context.getBeanNamesForType(org.springframework.web.server.adapter.ForwardedHeaderTransformer.class))
                    .hasSize(1);
            // Spring's transformer takes the left-most X-Forwarded-For entry as the client.
            assertThat(get(context, FORWARDED_REQUEST)).isEqualTo("https://shop.example/origin?q=1 from 203.0.113.7");
        }
    }

    @Test
    void noneLeavesTheRequestAsItCame() throws Exception {
        try (ConfigurableApplicationContext context = start("server.forward-headers-strategy=none")) {
            assertThat(get(context, FORWARDED_REQUEST)).isEqualTo("http://internal:8080/origin?q=1 from 127.0.0.1");
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of("server.address=127.0.0.1", WebFluxApps.WITHOUT_SECURITY));
        all.addAll(List.of(properties));
        return WebFluxApps.start(App.class, all.toArray(String[]::new));
    }

    private static String get(ConfigurableApplicationContext context, String request) throws Exception {
        int port = context.getEnvironment().getProperty("local.server.port", Integer.class);
        try (RawClient client = new RawClient(port)) {
            RawClient.Response response = client.send(request).read();
            assertThat(response.status()).isEqualTo(200);
            return response.bodyText();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Origin origin() {
            return new Origin();
        }
    }

    @RestController
    static class Origin {

        @GetMapping("/origin")
        String origin(ServerHttpRequest request) {
            return request.getURI() + " from " + request.getRemoteAddress().getHostString();
        }
    }
}
