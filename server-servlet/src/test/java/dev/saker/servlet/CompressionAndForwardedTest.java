package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import dev.saker.servlet.compression.CompressionFilter;
import dev.saker.servlet.compression.CompressionSettings;
import dev.saker.servlet.forwarded.ForwardedHeadersFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressionAndForwardedTest {

    @Test
    void compressesLargeResponsesOfCompressibleTypesOnly() throws Exception {
        String big = "Hello, compression! ".repeat(500);
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.addFilter("gzip", new CompressionFilter(CompressionSettings.defaults()))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            ctx.addServlet("s", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    switch (req.getPathInfo()) {
                        case "/big":
                            resp.setContentType("text/plain;charset=UTF-8");
                            resp.getWriter().print(big);
                            break;
                        case "/declared":
                            resp.setContentType("text/plain;charset=UTF-8");
                            resp.addHeader("Content-Length", Integer.toString(big.length()));
                            resp.getWriter().print(big);
                            break;
                        case "/small":
                            resp.setContentType("text/plain;charset=UTF-8");
                            resp.setContentLength(5);
                            resp.getWriter().print("small");
                            break;
                        default:
                            resp.setContentType("image/png");
                            resp.getOutputStream().write(new byte[10_000]);
                    }
                }
            }).addMapping("/c/*");
        })) {
            RawClient.Response gz = get(server, "/c/big", "Accept-Encoding: gzip, deflate\r\n");
            assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(gz.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(gz.body().length).isLessThan(big.length() / 10);
            assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo(big);
            RawClient.Response declared = get(server, "/c/declared", "Accept-Encoding: gzip\r\n");
            assertThat(declared.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(declared.header("Content-Length")).as("the uncompressed length is dropped")
                    .isNotEqualTo(Integer.toString(big.length()));
            assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(declared.body())).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo(big);
            RawClient.Response plain = get(server, "/c/big", "");
            assertThat(plain.header("Content-Encoding")).isNull();
            assertThat(plain.bodyText()).isEqualTo(big);
            RawClient.Response small = get(server, "/c/small", "Accept-Encoding: gzip\r\n");
            assertThat(small.header("Content-Encoding")).isNull();
            assertThat(small.header("Content-Length")).isEqualTo("5");
            RawClient.Response png = get(server, "/c/png", "Accept-Encoding: gzip\r\n");
            assertThat(png.header("Content-Encoding")).isNull();
            assertThat(png.body()).hasSize(10_000);
            RawClient.Response refused = get(server, "/c/big", "Accept-Encoding: gzip;q=0\r\n");
            assertThat(refused.header("Content-Encoding")).isNull();
        }
    }

    @Test
    void forwardedFieldsAreHonouredOnlyFromTrustedProxies() throws Exception {
        HttpServlet echo = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(req.getRemoteAddr() + " " + req.getScheme() + " " + req.isSecure() + " "
                        + req.getServerName() + " " + req.getServerPort() + " " + req.getRequestURL());
            }
        };
        try (ServletServer trusted = ServletServer.start("", ctx -> {
            ctx.addFilter("fwd", new ForwardedHeadersFilter(ForwardedHeadersFilter.DEFAULT_TRUSTED_PROXIES))
                    .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
            ctx.addServlet("e", echo).addMapping("/");
        }); ServletServer untrusted = ServletServer.start("", ctx -> {
            ctx.addFilter("fwd", new ForwardedHeadersFilter("10\\..*"))
                    .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
            ctx.addServlet("e", echo).addMapping("/");
        })) {
            String fields = "X-Forwarded-For: 203.0.113.7, 10.0.0.2\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n";
            assertThat(get(trusted, "/p", fields).bodyText())
                    .isEqualTo("203.0.113.7 https true shop.example 443 https://shop.example/p");
            assertThat(get(trusted, "/p", "Forwarded: for=198.51.100.1;proto=https;host=api.example:8443\r\n").bodyText())
                    .isEqualTo("198.51.100.1 https true api.example 8443 https://api.example:8443/p");
            assertThat(get(untrusted, "/p", fields).bodyText()).startsWith("127.0.0.1 http false a ");
        }
    }

    private static RawClient.Response get(ServletServer server, String path, String extra) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + extra + "\r\n");
            return client.read();
        }
    }
}
