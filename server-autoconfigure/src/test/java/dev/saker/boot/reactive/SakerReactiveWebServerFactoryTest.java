package dev.saker.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.boot.SakerWebServer;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.server.reactive.HttpHandler;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Saker's reactive factory: the behaviours of Boot's AbstractReactiveWebServerFactoryTests that came first
 * (the rest are in {@link SakerReactiveWebServerFactoryContractTest}; docs/webflux.md maps them all)
 * and Saker's own (event-loop dispatch, meters, SslInfo).
 */
class SakerReactiveWebServerFactoryTest {

    private WebServer webServer;

    @AfterEach
    void destroy() {
        if (webServer != null) {
            webServer.destroy();
        }
    }

    private static HttpHandler text(String body) {
        return (request, response) -> response.writeWith(Mono.fromSupplier(
                () -> response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }

    private RawClient.Response get(String path) throws IOException {
        try (RawClient client = new RawClient(webServer.getPort())) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
        }
    }

    @Test
    void portIsMinusOneBeforeStartAndTheBoundPortAfterAndTheServerCanRestart() throws Exception {
        webServer = new SakerReactiveWebServerFactory(0).getWebServer(text("hello"));
        assertThat(webServer.getPort()).isEqualTo(-1);
        webServer.start();
        assertThat(webServer.getPort()).isPositive();
        assertThat(get("/").bodyText()).isEqualTo("hello");
        webServer.stop();
        assertThat(webServer.getPort()).isEqualTo(-1);
        webServer.start();
        assertThat(get("/").bodyText()).isEqualTo("hello");
    }

    @Test
    void specificPortAndAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory(port);
        factory.setAddress(InetAddress.getByName("127.0.0.1"));
        webServer = factory.getWebServer(text("here"));
        webServer.start();
        assertThat(webServer.getPort()).isEqualTo(port);
        assertThat(get("/").bodyText()).isEqualTo("here");
    }

    @Test
    void portInUseIsReportedAsSuch() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory(taken.getLocalPort());
            factory.setAddress(InetAddress.getByName("127.0.0.1"));
            webServer = factory.getWebServer(text("x"));
            assertThatThrownBy(webServer::start).isInstanceOf(PortInUseException.class)
                    .satisfies(e -> assertThat(((PortInUseException) e).getPort()).isEqualTo(taken.getLocalPort()))
                    .hasCauseInstanceOf(Throwable.class);
        }
    }

    @Test
    void serverHeaderIsSentOnlyWhenSet() throws Exception {
        webServer = new SakerReactiveWebServerFactory(0).getWebServer(text("x"));
        webServer.start();
        assertThat(get("/").header("server")).isNull();
        webServer.destroy();
        SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory(0);
        factory.setServerHeader("MyServer");
        webServer = factory.getWebServer(text("x"));
        webServer.start();
        assertThat(get("/").header("server")).isEqualTo("MyServer");
    }

    @Test
    void handlersRunOnTheEventLoopByDefault() {
        SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory(0);
        assertThat(factory.engineConfig().dispatchMode()).isEqualTo(DispatchMode.EVENT_LOOP);
        webServer = factory.getWebServer(text("x"));
        assertThat(((SakerWebServer) webServer).server().config().dispatchMode()).isEqualTo(DispatchMode.EVENT_LOOP);
    }

    @Test
    void gracefulShutdownLetsAnInFlightRequestFinishAndRefusesNewConnections() throws Exception {
        Sinks.One<String> release = Sinks.one();
        CompletableFuture<Void> entered = new CompletableFuture<>();
        HttpHandler held = (request, response) -> {
            entered.complete(null);
            return response.writeWith(release.asMono().map(
                    body -> response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
        };
        SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory(0);
        factory.setShutdown(Shutdown.GRACEFUL);
        webServer = factory.getWebServer(held);
        webServer.start();
        int port = webServer.getPort();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            entered.get(5, TimeUnit.SECONDS);
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            webServer.shutDownGracefully(result::complete);
            assertThat(result).isNotDone();
            assertThatThrownBy(() -> {
                try (Socket refused = new Socket("127.0.0.1", port)) {
                    refused.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    if (refused.getInputStream().read() < 0) {
                        throw new IOException("closed without an answer");
                    }
                }
            }).isInstanceOf(IOException.class);
            release.tryEmitValue("finished");
            RawClient.Response response = client.read();
            assertThat(response.bodyText()).isEqualTo("finished");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
        }
    }

    private static HttpHandler typed(String contentType, reactor.core.publisher.Flux<String> parts, boolean single) {
        return (request, response) -> {
            response.getHeaders().set("Content-Type", contentType);
            reactor.core.publisher.Flux<org.springframework.core.io.buffer.DataBuffer> buffers = parts.map(
                    part -> response.bufferFactory().wrap(part.getBytes(StandardCharsets.UTF_8)));
            return single ? response.writeWith(org.springframework.core.io.buffer.DataBufferUtils.join(buffers))
                    : response.writeWith(buffers);
        };
    }

    private RawClient.Response gzipGet(HttpHandler handler) throws IOException {
        SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory(0);
        org.springframework.boot.web.server.Compression compression = new org.springframework.boot.web.server.Compression();
        compression.setEnabled(true);
        factory.setCompression(compression);
        webServer = factory.getWebServer(handler);
        webServer.start();
        try (RawClient client = new RawClient(webServer.getPort())) {
            return client.send("GET / HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n").read();
        }
    }

    private static String gunzip(byte[] body) throws IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void compressionGzipsALargeEnoughBodyOfACompressibleType() throws Exception {
        String big = "x".repeat(4096);
        RawClient.Response r = gzipGet(typed("text/plain", reactor.core.publisher.Flux.just(big), true));
        assertThat(r.header("content-encoding")).isEqualTo("gzip");
        assertThat(r.header("vary")).isEqualTo("Accept-Encoding");
        assertThat(r.body().length).isLessThan(big.length());
        assertThat(gunzip(r.body())).isEqualTo(big);
    }

    @Test
    void compressionGzipsAStreamedBody() throws Exception {
        reactor.core.publisher.Flux<String> parts = reactor.core.publisher.Flux.range(0, 2000).map(i -> "line " + i + "\n");
        RawClient.Response r = gzipGet(typed("application/json", parts, false));
        assertThat(r.header("content-encoding")).isEqualTo("gzip");
        assertThat(gunzip(r.body())).isEqualTo(String.join("", parts.collectList().block()));
    }

    @Test
    void compressionLeavesSmallBodiesAndOtherTypesAlone() throws Exception {
        RawClient.Response small = gzipGet(typed("text/plain", reactor.core.publisher.Flux.just("tiny"), true));
        assertThat(small.header("content-encoding")).isNull();
        assertThat(small.bodyText()).isEqualTo("tiny");
        webServer.destroy();
        String big = "y".repeat(4096);
        RawClient.Response image = gzipGet(typed("image/png", reactor.core.publisher.Flux.just(big), true));
        assertThat(image.header("content-encoding")).isNull();
        assertThat(image.bodyText()).isEqualTo(big);
    }

    @Test
    void engineMetersBindForAReactiveServerWithoutSessionMeters() throws Exception {
        webServer = new SakerReactiveWebServerFactory(0).getWebServer(text("x"));
        webServer.start();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        dev.saker.boot.metrics.SakerMetricsBinder.bind((SakerWebServer) webServer, io.micrometer.core.instrument.Tags.of("server", "application"), registry);
        get("/");
        assertThat(registry.get("saker.requests.active").gauge()).isNotNull();
        assertThat(dev.saker.server.testing.Poll.until(java.time.Duration.ofSeconds(5),
                () -> registry.get("saker.bytes.sent").functionCounter().count() > 0)).isTrue();
        assertThat(registry.find("saker.sessions.created").meters()).isEmpty();
    }

    private static org.springframework.boot.web.server.Ssl ssl(String keyStore) {
        org.springframework.boot.web.server.Ssl ssl = new org.springframework.boot.web.server.Ssl();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword("secret");
        if (keyStore.endsWith(".p12")) {
            ssl.setKeyStoreType("pkcs12");
        } else {
            ssl.setKeyPassword("password");
        }
        return ssl;
    }

    private static final HttpHandler TLS_INFO = (request, response) -> {
        org.springframework.http.server.reactive.SslInfo info = request.getSslInfo();
        // TLS 1.3 sessions have no id: only the presence of the SslInfo is asserted
        String body = request.getURI().getScheme() + ";ssl=" + (info != null)
                + ";peers=" + (info == null || info.getPeerCertificates() == null ? 0 : info.getPeerCertificates().length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    };

    @Test
    void httpsFromServerSslWithTheSessionInSslInfo() throws Exception {
        SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory(0);
        factory.setSsl(ssl("classpath:tls/test.jks"));
        webServer = factory.getWebServer(TLS_INFO);
        webServer.start();
        String body = dev.saker.boot.servlet.TlsTestClient.anonymous().get(webServer.getPort(), "/").bodyText();
        assertThat(body).isEqualTo("https;ssl=true;peers=0");
    }

    @Test
    void clientCertificatesReachSslInfo() throws Exception {
        SakerReactiveWebServerFactory factory = new SakerReactiveWebServerFactory(0);
        org.springframework.boot.web.server.Ssl ssl = ssl("classpath:tls/test.p12");
        ssl.setClientAuth(org.springframework.boot.web.server.Ssl.ClientAuth.NEED);
        ssl.setTrustStore("classpath:tls/test.p12");
        ssl.setTrustStorePassword("secret");
        ssl.setTrustStoreType("pkcs12");
        factory.setSsl(ssl);
        webServer = factory.getWebServer(TLS_INFO);
        webServer.start();
        String body = dev.saker.boot.servlet.TlsTestClient.withKeys("test.p12", "secret").get(webServer.getPort(), "/").bodyText();
        assertThat(body).startsWith("https;ssl=true;peers=").doesNotEndWith("peers=0");
    }

    @Test
    void immediateShutdownReportsImmediate() throws Exception {
        webServer = new SakerReactiveWebServerFactory(0).getWebServer(text("x"));
        webServer.start();
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        webServer.shutDownGracefully(result::complete);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IMMEDIATE);
    }
}
