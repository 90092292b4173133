package dev.saker.boot.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.boot.SakerWebServer;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.Http2;
import org.springframework.boot.web.server.Ssl;

/**
 * {@code server.http2.enabled=true} on Saker's factory: the h2c cases of Spring Boot's
 * {@code AbstractServletWebServerFactoryTests}, h2 over TLS by ALPN, and what a servlet sees of an
 * HTTP/2 request.
 */
class SakerServletWebServerFactoryHttp2Test extends FactoryTestSupport {

    /** Answers with what the servlet layer says of the request's protocol, and sets HTTP/1.1-only fields. */
    private static final HttpServlet PROTOCOL = new HttpServlet() {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            // Connection-specific fields an application may set: meaningless in HTTP/2 (RFC 9113 §8.2.2).
            resp.setHeader("Connection", "keep-alive");
            resp.setHeader("Keep-Alive", "timeout=5");
            resp.getWriter().print(req.getProtocol() + " " + req.getServletConnection().getProtocol() + " "
                    + req.getServletConnection().isSecure() + " " + req.isSecure());
        }
    };

    /** Sets {@code Transfer-Encoding: chunked} itself and writes a body larger than the response buffer. */
    private static final HttpServlet CHUNKED = new HttpServlet() {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setHeader("Transfer-Encoding", "chunked");
            resp.setContentType("text/plain");
            resp.getWriter().print("x".repeat(100_000));
        }
    };

    /** Answers from another thread after {@code startAsync()}, with a trailer field. */
    private static final HttpServlet ASYNC_WITH_TRAILERS = new HttpServlet() {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext async = req.startAsync();
            resp.setContentType("text/plain");
            resp.setTrailerFields(() -> Map.of("checksum", "abc"));
            async.start(() -> {
                try {
                    resp.getWriter().print("async " + req.getProtocol());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                async.complete();
            });
        }
    };

    /**
     * Non-blocking both ways: reads the body with a {@code ReadListener}, then writes
     * {@link #NON_BLOCKING_COPIES} copies of it with a {@code WriteListener}, counting the times
     * {@code isReady()} said no. Answers the size and CRC of what it read in a header.
     */
    private static final class NonBlockingEcho extends HttpServlet {
        final AtomicInteger writerWaited = new AtomicInteger();
        final AtomicInteger readerWaited = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            AsyncContext async = req.startAsync();
            ServletInputStream in = req.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    byte[] buf = new byte[8192];
                    while (in.isReady()) {
                        int n = in.read(buf);
                        if (n < 0) {
                            return;
                        }
                        received.write(buf, 0, n);
                    }
                    readerWaited.incrementAndGet();
                }

                @Override
                public void onAllDataRead() throws IOException {
                    byte[] body = received.toByteArray();
                    CRC32 crc = new CRC32();
                    crc.update(body);
                    resp.setContentType("application/octet-stream");
                    resp.setHeader("X-Received", body.length + "/" + crc.getValue());
                    ServletOutputStream out = resp.getOutputStream();
                    out.setWriteListener(new WriteListener() {
                        private int copies;

                        @Override
                        public void onWritePossible() throws IOException {
                            while (out.isReady()) {
                                if (copies == NON_BLOCKING_COPIES) {
                                    async.complete();
                                    return;
                                }
                                out.write(body);
                                copies++;
                            }
                            writerWaited.incrementAndGet();
                        }

                        @Override
                        public void onError(Throwable t) {
                            failure.set(t);
                            async.complete();
                        }
                    });
                }

                @Override
                public void onError(Throwable t) {
                    failure.set(t);
                    async.complete();
                }
            });
        }
    }

    private static final int NON_BLOCKING_COPIES = 4;

    private static SakerServletWebServerFactory http2(SakerServletWebServerFactory factory) {
        Http2 http2 = new Http2();
        http2.setEnabled(true);
        factory.setHttp2(http2);
        return factory;
    }

    @Test
    void whenHttp2IsEnabledAndSslIsDisabledThenH2cCanBeUsed() throws Exception {
        webServer = http2(factory()).getWebServer(servlet("/hello", text("Hello World")));
        webServer.start();
        try (H2cTestClient client = new H2cTestClient(webServer.getPort())) {
            H2cTestClient.Response response = client.get("/hello");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Hello World");
        }
    }

    /**
     * The same case with the client Boot's own contract test uses: Apache HttpClient 5's HTTP/2-only
     * async client, which speaks h2c with prior knowledge, sending a request with a body.
     */
    @Test
    void whenHttp2IsEnabledAndSslIsDisabledThenH2cCanBeUsedByApacheHttpClient() throws Exception {
        webServer = http2(factory()).getWebServer(servlet("/hello", text("Hello World")));
        webServer.start();
        try (CloseableHttpAsyncClient client = HttpAsyncClients.customHttp2().build()) {
            client.start();
            SimpleHttpRequest request = SimpleRequestBuilder.get("http://localhost:" + webServer.getPort() + "/hello")
                    .setBody("Hello World", ContentType.TEXT_PLAIN).build();
            SimpleHttpResponse response = client.execute(request, null).get(20, TimeUnit.SECONDS);
            assertThat(response.getCode()).isEqualTo(200);
            assertThat(response.getVersion().getMajor()).as("HTTP/2").isEqualTo(2);
            assertThat(response.getBodyText()).isEqualTo("Hello World");
        }
    }

    @Test
    void whenHttp2IsEnabledAndSslIsDisabledThenHttp11CanStillBeUsed() throws Exception {
        webServer = http2(factory()).getWebServer(servlet("/hello", text("Hello World")));
        webServer.start();
        RawClient.Response response = get("/hello");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("Hello World");
    }

    /**
     * {@code server.max-http-request-header-size} (the factory's maxHeadSize) is also HTTP/2's
     * SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 section 6.5.2: names, values and 32 bytes per field),
     * enforced by Netty's HPACK decoder: a block up to a quarter over it gets 431 on its stream, a
     * larger one GOAWAY(PROTOCOL_ERROR).
     */
    @Test
    void maxHeaderSizeBoundsAnHttp2HeaderBlock() throws Exception {
        SakerServletWebServerFactory factory = http2(factory());
        factory.setMaxHeadSize(1024);
        webServer = factory.getWebServer(servlet("/hello", text("Hello World")));
        webServer.start();
        try (H2cTestClient client = new H2cTestClient(webServer.getPort())) {
            assertThat(client.get("/hello", field(600)).status()).isEqualTo(200);
            // Past the limit by less than a quarter: Netty's codec answers 431 on that stream.
            assertThat(client.get("/hello", field(1100)).status()).isEqualTo(431);
            assertThat(client.get("/hello").status()).as("the connection goes on").isEqualTo(200);
            // Far past it: a connection error, the client is cut off without decoding more.
            assertThatThrownBy(() -> client.get("/hello", field(4000))).isInstanceOf(ExecutionException.class);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> !client.isOpen())).isTrue();
        }
        ServerStats stats = ((SakerWebServer) webServer).server().stats();
        assertThat(stats.http2().goAwaysSent(0x1)).as("GOAWAY(PROTOCOL_ERROR)").isEqualTo(1);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> stats.connectionsClosed(CloseReason.PROTOCOL_ERROR) == 1)).isTrue();
    }

    private static DefaultHttp2Headers field(int size) {
        return (DefaultHttp2Headers) new DefaultHttp2Headers().add("x-big", "v".repeat(size));
    }

    @Test
    void servletSeesHttp2AndConnectionFieldsAreDroppedOverH2c() throws Exception {
        webServer = http2(factory()).getWebServer(servlet("/protocol", PROTOCOL));
        webServer.start();
        try (H2cTestClient client = new H2cTestClient(webServer.getPort())) {
            for (int i = 0; i < 3; i++) {
                // Several streams on one connection: each gets its own exchange.
                H2cTestClient.Response response = client.get("/protocol");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("HTTP/2.0 h2c false false");
                assertThat(response.headers().contains("connection")).isFalse();
                assertThat(response.headers().contains("keep-alive")).isFalse();
            }
        }
        // The same servlet over HTTP/1.1 on the same port.
        assertThat(get("/protocol").bodyText()).isEqualTo("HTTP/1.1 http/1.1 false false");
    }

    @Test
    void jdkHttpClientUpgradesToH2cAndTheServletSeesHttp2() throws Exception {
        webServer = http2(factory()).getWebServer(servlet("/protocol", PROTOCOL));
        webServer.start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create("http://127.0.0.1:" + webServer.getPort() + "/protocol");
        for (int i = 0; i < 3; i++) {
            // The first request carries Upgrade: h2c and is served as stream 1: the servlet sees HTTP/2
            // for it too (as with Tomcat); the next ones go over the upgraded connection.
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("HTTP/2.0 h2c false false");
            assertThat(response.headers().firstValue("connection")).isEmpty();
        }
    }

    @Test
    void readListenerAndWriteListenerOverH2c() throws Exception {
        NonBlockingEcho echo = new NonBlockingEcho();
        webServer = http2(factory()).getWebServer(context -> {
            ServletRegistration.Dynamic registration = context.addServlet("echo", echo);
            registration.setAsyncSupported(true);
            registration.addMapping("/echo");
        });
        webServer.start();
        // A few hundred KB up (past the 64 KiB stream window: the reader drives WINDOW_UPDATEs),
        // four times that down (past the client's window: the writer must wait).
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i % 251);
        }
        CRC32 crc = new CRC32();
        crc.update(body);
        try (H2cTestClient client = new H2cTestClient(webServer.getPort())) {
            for (int round = 0; round < 2; round++) {
                H2cTestClient.Response response = client.request("POST", "/echo", body);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.headers().get("x-received")).hasToString(body.length + "/" + crc.getValue());
                byte[] got = response.bytes();
                assertThat(got).hasSize(NON_BLOCKING_COPIES * body.length);
                for (int copy = 0; copy < NON_BLOCKING_COPIES; copy++) {
                    assertThat(Arrays.copyOfRange(got, copy * body.length, (copy + 1) * body.length)).isEqualTo(body);
                }
            }
        }
        assertThat(echo.failure.get()).isNull();
        assertThat(echo.readerWaited.get()).as("the reader was told to wait at least once").isPositive();
        assertThat(echo.writerWaited.get()).as("the writer was told to wait at least once").isPositive();
    }

    @Test
    void aTransferEncodingSetByTheApplicationDoesNotBreakAnHttp2Response() throws Exception {
        webServer = http2(factory()).getWebServer(servlet("/chunked", CHUNKED));
        webServer.start();
        try (H2cTestClient client = new H2cTestClient(webServer.getPort())) {
            H2cTestClient.Response response = client.get("/chunked");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().contains("transfer-encoding")).isFalse();
            assertThat(response.body()).isEqualTo("x".repeat(100_000));
        }
    }

    @Test
    void asyncResponseWithTrailerFieldsOverH2c() throws Exception {
        webServer = http2(factory()).getWebServer(servlet("/async", ASYNC_WITH_TRAILERS));
        webServer.start();
        try (H2cTestClient client = new H2cTestClient(webServer.getPort())) {
            H2cTestClient.Response response = client.get("/async");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("async HTTP/2.0");
            assertThat(response.trailers()).isNotNull();
            assertThat(response.trailers().get("checksum")).hasToString("abc");
        }
    }

    @Test
    void whenHttp2IsEnabledAndSslIsEnabledThenH2IsAgreedByAlpn() throws Exception {
        SakerServletWebServerFactory factory = http2(sslFactory());
        factory.setSsl(ssl());
        webServer = factory.getWebServer(servlet("/protocol", PROTOCOL));
        webServer.start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsTestClient.anonymous().context()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + webServer.getPort() + "/protocol"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("HTTP/2.0 h2 true true");
    }

    @Test
    void whenHttp2IsDisabledTlsStaysOnHttp11() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(ssl());
        webServer = factory.getWebServer(servlet("/protocol", PROTOCOL));
        webServer.start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsTestClient.anonymous().context()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + webServer.getPort() + "/protocol"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("HTTP/1.1 http/1.1 true true");
    }

    private static Ssl ssl() {
        Ssl ssl = new Ssl();
        ssl.setKeyStore("classpath:tls/test.p12");
        ssl.setKeyStorePassword("secret");
        ssl.setKeyStoreType("pkcs12");
        return ssl;
    }
}
