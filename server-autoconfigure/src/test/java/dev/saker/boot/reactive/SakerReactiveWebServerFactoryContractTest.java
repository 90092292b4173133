package dev.saker.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.boot.servlet.H2cTestClient;
import dev.saker.boot.servlet.TlsTestClient;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.Http2;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.Ssl.ClientAuth;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The test methods of Boot 4's {@code AbstractReactiveWebServerFactoryTests} (module
 * spring-boot-web-server, test fixtures) that {@link SakerReactiveWebServerFactoryTest} does not
 * already cover, under Boot's names, on real loopback sockets. The factory is made as Boot's
 * auto-configuration makes it (port 0) and each case sets only what its behaviour needs. Boot's
 * echo handler, blocking handler and 3000-character handler are rebuilt here; docs/webflux.md maps
 * every Boot test to the Saker test that covers it.
 */
@ExtendWith(OutputCaptureExtension.class)
class SakerReactiveWebServerFactoryContractTest {

    private static final String HELLO = "Hello World";

    private WebServer webServer;

    @TempDir
    Path tempDir;

    @AfterEach
    void destroy() {
        if (webServer != null) {
            webServer.destroy();
        }
    }

    private static SakerReactiveWebServerFactory factory() {
        return new SakerReactiveWebServerFactory(0);
    }

    /** Boot's EchoHandler: 200 and the request body back. */
    private static final HttpHandler ECHO = (request, response) -> {
        response.setStatusCode(HttpStatus.OK);
        return response.writeWith(request.getBody());
    };

    private static String post(RawClient client) throws IOException {
        RawClient.Response response = client.send("POST /test HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + HELLO.length() + "\r\n\r\n" + HELLO).read();
        assertThat(response.status()).isEqualTo(200);
        return response.bodyText();
    }

    private String post(int port) throws IOException {
        try (RawClient client = new RawClient(port)) {
            return post(client);
        }
    }

    private String postOverTls(TlsTestClient tls) throws IOException {
        try (RawClient client = new RawClient(tls.connect(webServer.getPort()))) {
            return post(client);
        }
    }

    private void start(SakerReactiveWebServerFactory factory, HttpHandler handler) {
        webServer = factory.getWebServer(handler);
        webServer.start();
    }

    // ------------------------------------------------------------------ ports, start and stop

    @Test
    void restartAfterStop() throws Exception {
        start(factory(), ECHO);
        int port = webServer.getPort();
        assertThat(post(port)).isEqualTo(HELLO);
        webServer.stop();
        assertThatThrownBy(() -> post(port)).isInstanceOf(IOException.class);
        webServer.start();
        assertThat(post(webServer.getPort())).isEqualTo(HELLO);
    }

    @Test
    void portIsMinusOneWhenConnectionIsClosed() {
        start(factory(), ECHO);
        assertThat(webServer.getPort()).isPositive();
        webServer.destroy();
        assertThat(webServer.getPort()).isEqualTo(-1);
    }

    @Test
    void startedLogMessageWithSinglePort(CapturedOutput output) {
        start(factory(), ECHO);
        assertThat(output).contains("Saker started on port " + webServer.getPort() + " (http)");
    }

    // ------------------------------------------------------------------ SSL

    private static Ssl jks(ClientAuth clientAuth, String keyStore) {
        Ssl ssl = new Ssl();
        ssl.setClientAuth(clientAuth);
        ssl.setKeyStore(keyStore);
        ssl.setKeyPassword("password");
        ssl.setKeyStorePassword("secret");
        return ssl;
    }

    @Test
    void basicSslFromFileSystem() throws Exception {
        Path copy = tempDir.resolve("test.jks");
        try (InputStream in = getClass().getResourceAsStream("/tls/test.jks")) {
            Files.copy(in, copy);
        }
        SakerReactiveWebServerFactory factory = factory();
        factory.setSsl(jks(null, copy.toString()));
        start(factory, ECHO);
        assertThat(postOverTls(TlsTestClient.anonymous())).isEqualTo(HELLO);
    }

    @Test
    void sslWithValidAlias() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = jks(null, "classpath:tls/test.jks");
        ssl.setKeyAlias("test-alias");
        factory.setSsl(ssl);
        start(factory, ECHO);
        // The store holds two keys ("spring-boot" and "test-alias"): only the named one is served.
        for (int i = 0; i < 3; i++) {
            try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort());
                 RawClient client = new RawClient(socket)) {
                X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                assertThat(served.getSubjectX500Principal().getName()).isEqualTo("CN=test-alias");
                assertThat(post(client)).isEqualTo(HELLO);
            }
        }
    }

    @Test
    void sslWithInvalidAliasFailsDuringStartup() {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = jks(null, "classpath:tls/test.jks");
        ssl.setKeyAlias("test-alias-404");
        factory.setSsl(ssl);
        assertThatThrownBy(() -> start(factory, ECHO))
                .hasStackTraceContaining("Keystore does not contain alias 'test-alias-404'");
    }

    @Test
    void whenSslIsEnabledAndNoKeyStoreIsConfiguredThenServerFailsToStart() {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = new Ssl();
        ssl.setKeyStorePassword("secret");
        factory.setSsl(ssl);
        assertThatIllegalStateException().isThrownBy(() -> start(factory, ECHO))
                .withMessageContaining("SSL is enabled but no trust material is configured");
    }

    @Test
    void sslWantsClientAuthenticationSucceedsWithClientCertificate() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = jks(ClientAuth.WANT, "classpath:tls/test.jks");
        ssl.setTrustStore("classpath:tls/test.jks");
        ssl.setTrustStorePassword("secret");
        factory.setSsl(ssl);
        start(factory, ECHO);
        assertThat(postOverTls(TlsTestClient.withKeys("test.jks", "password"))).isEqualTo(HELLO);
    }

    @Test
    void sslWantsClientAuthenticationSucceedsWithoutClientCertificate() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = jks(ClientAuth.WANT, "classpath:tls/test.jks");
        ssl.setTrustStore("classpath:tls/test.jks");
        ssl.setTrustStorePassword("secret");
        factory.setSsl(ssl);
        start(factory, ECHO);
        assertThat(postOverTls(TlsTestClient.anonymous())).isEqualTo(HELLO);
    }

    @Test
    void sslNeedsClientAuthenticationSucceedsWithClientCertificate() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = jks(ClientAuth.NEED, "classpath:tls/test.jks");
        ssl.setTrustStore("classpath:tls/test.jks");
        ssl.setTrustStorePassword("secret");
        factory.setSsl(ssl);
        start(factory, ECHO);
        assertThat(postOverTls(TlsTestClient.withKeys("test.jks", "password"))).isEqualTo(HELLO);
    }

    @Test
    void sslNeedsClientAuthenticationFailsWithoutClientCertificate() {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = jks(ClientAuth.NEED, "classpath:tls/test.jks");
        ssl.setTrustStore("classpath:tls/test.jks");
        ssl.setTrustStorePassword("secret");
        factory.setSsl(ssl);
        start(factory, ECHO);
        // Over TLS 1.3 the client learns of the refusal on its first read, not in its handshake.
        assertThatThrownBy(() -> postOverTls(TlsTestClient.anonymous())).isInstanceOf(IOException.class);
    }

    @Test
    void sslWithPemCertificates() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = new Ssl();
        ssl.setClientAuth(ClientAuth.NEED);
        ssl.setCertificate("classpath:tls/test-cert.pem");
        ssl.setCertificatePrivateKey("classpath:tls/test-key.pem");
        ssl.setTrustCertificate("classpath:tls/test-cert.pem");
        factory.setSsl(ssl);
        start(factory, ECHO);
        assertThat(postOverTls(TlsTestClient.withKeys("test.p12", "secret"))).isEqualTo(HELLO);
        assertThatThrownBy(() -> postOverTls(TlsTestClient.anonymous())).isInstanceOf(IOException.class);
    }

    /** Not in Boot's reactive base class (its servlet one has it): {@code server.ssl.bundle}. */
    @Test
    void sslFromABundle() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = Ssl.forBundle("test");
        ssl.setClientAuth(ClientAuth.NEED);
        factory.setSsl(ssl);
        JksSslStoreDetails store = new JksSslStoreDetails("pkcs12", null, "classpath:tls/test.p12", "secret");
        factory.setSslBundles(new DefaultSslBundleRegistry("test", SslBundle.of(new JksSslStoreBundle(store, store))));
        start(factory, ECHO);
        assertThat(postOverTls(TlsTestClient.withKeys("test.p12", "secret"))).isEqualTo(HELLO);
        assertThatThrownBy(() -> postOverTls(TlsTestClient.anonymous())).isInstanceOf(IOException.class);
    }

    /** Not in Boot's reactive base class (Tomcat's factory tests have it): {@code server.ssl.enabled-protocols}. */
    @Test
    void sslEnabledProtocolsConfiguration() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = jks(null, "classpath:tls/test.jks");
        ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
        factory.setSsl(ssl);
        start(factory, ECHO);
        try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort())) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
        assertThatThrownBy(() -> TlsTestClient.anonymous().protocols("TLSv1.3").connect(webServer.getPort()).close())
                .isInstanceOf(SSLException.class);
    }

    /** Not in Boot's reactive base class (Tomcat's factory tests have it): {@code server.ssl.ciphers}. */
    @Test
    void sslCiphersConfiguration() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        Ssl ssl = jks(null, "classpath:tls/test.jks");
        ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
        ssl.setCiphers(new String[] {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"});
        factory.setSsl(ssl);
        start(factory, ECHO);
        try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort()); RawClient client = new RawClient(socket)) {
            assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
            assertThat(post(client)).isEqualTo(HELLO);
        }
    }

    private static SslBundle pem(String name) {
        String certificate = "classpath:tls/" + name + "-cert.pem";
        return SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate(certificate).withPrivateKey("classpath:tls/" + name + "-key.pem"), null));
    }

    private String servedName() throws IOException {
        try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort()); RawClient client = new RawClient(socket)) {
            assertThat(post(client)).isEqualTo(HELLO);
            X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return served.getSubjectX500Principal().getName();
        }
    }

    /** Reactor Netty's factory test {@code whenSslBundleIsUpdatedThenSslIsReloaded}: new connections get the update. */
    @Test
    void whenSslBundleIsUpdatedThenSslIsReloaded() throws Exception {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("bundle1", pem("alpha"));
        SakerReactiveWebServerFactory factory = factory();
        factory.setSslBundles(bundles);
        factory.setSsl(Ssl.forBundle("bundle1"));
        start(factory, ECHO);
        assertThat(servedName()).isEqualTo("CN=alpha.example");
        bundles.updateBundle("bundle1", pem("beta"));
        assertThat(servedName()).isEqualTo("CN=beta.example");
    }

    // ------------------------------------------------------------------ compression

    /** Boot's CharsHandler: 3000 'F's of the given type, with their Content-Length declared. */
    private static HttpHandler chars(String contentType) {
        byte[] body = "F".repeat(3000).getBytes(StandardCharsets.UTF_8);
        return (request, response) -> {
            response.setStatusCode(HttpStatus.OK);
            response.getHeaders().set("Content-Type", contentType);
            response.getHeaders().setContentLength(body.length);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        };
    }

    private RawClient.Response compressionTest(Compression compression, String contentType, String method, String userAgent)
            throws IOException {
        SakerReactiveWebServerFactory factory = factory();
        factory.setCompression(compression);
        start(factory, chars(contentType));
        try (RawClient client = new RawClient(webServer.getPort())) {
            RawClient.Response response = client.send(method + " / HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n"
                    + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n")
                    + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            return response;
        }
    }

    private static Compression enabled() {
        Compression compression = new Compression();
        compression.setEnabled(true);
        return compression;
    }

    private static void assertCompressed(RawClient.Response response) throws IOException {
        assertThat(response.header("content-encoding")).isEqualTo("gzip");
        assertThat(response.header("content-length")).as("the declared length was that of the plain body")
                .isNotEqualTo("3000");
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("F".repeat(3000));
        }
    }

    private static void assertNotCompressed(RawClient.Response response) {
        assertThat(response.header("content-encoding")).isNull();
        assertThat(response.bodyText()).isEqualTo("F".repeat(3000));
    }

    @Test
    void compressionOfResponseToGetRequest() throws Exception {
        assertCompressed(compressionTest(enabled(), "text/plain", "GET", null));
    }

    @Test
    void compressionOfResponseToPostRequest() throws Exception {
        assertCompressed(compressionTest(enabled(), "text/plain", "POST", null));
    }

    @Test
    void noCompressionForSmallResponse() throws Exception {
        Compression compression = enabled();
        compression.setMinResponseSize(DataSize.ofBytes(3001));
        assertNotCompressed(compressionTest(compression, "text/plain", "GET", null));
    }

    @Test
    void noCompressionForMimeType() throws Exception {
        Compression compression = enabled();
        compression.setMimeTypes(new String[] {"application/json"});
        assertNotCompressed(compressionTest(compression, "text/plain", "GET", null));
    }

    @Test
    void noCompressionForUserAgent() throws Exception {
        Compression compression = enabled();
        compression.setExcludedUserAgents(new String[] {"testUserAgent"});
        assertNotCompressed(compressionTest(compression, "text/plain", "GET", "testUserAgent"));
    }

    @Test
    void noCompressionForResponseWithInvalidContentType() throws Exception {
        Compression compression = enabled();
        compression.setMimeTypes(new String[] {"application/json"});
        assertNotCompressed(compressionTest(compression, "test~plain", "GET", null));
    }

    // ------------------------------------------------------------------ graceful shutdown and stop

    /** Boot's BlockingHandler: each request is held, its response empty, until the test completes it. */
    private static final class BlockingHandler implements HttpHandler {
        private final BlockingQueue<Sinks.Empty<Void>> held = new ArrayBlockingQueue<>(10);

        @Override
        public Mono<Void> handle(org.springframework.http.server.reactive.ServerHttpRequest request,
                                 org.springframework.http.server.reactive.ServerHttpResponse response) {
            Sinks.Empty<Void> completion = Sinks.empty();
            held.add(completion);
            return completion.asMono();
        }

        /** Waits for the next held request. */
        Sinks.Empty<Void> awaitOne() throws InterruptedException {
            Sinks.Empty<Void> completion = held.poll(10, TimeUnit.SECONDS);
            assertThat(completion).as("a request reached the handler").isNotNull();
            return completion;
        }
    }

    /** A request the handler holds: its client connection, and what completes its response. */
    private record HeldRequest(RawClient client, Sinks.Empty<Void> completion) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /** Starts a server from {@code factory} whose handler holds every request, and sends one. */
    private HeldRequest startAndHoldOne(SakerReactiveWebServerFactory factory) throws IOException, InterruptedException {
        BlockingHandler handler = new BlockingHandler();
        start(factory, handler);
        RawClient client = new RawClient(webServer.getPort());
        try {
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            return new HeldRequest(client, handler.awaitOne());
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    private SakerReactiveWebServerFactory graceful() {
        SakerReactiveWebServerFactory factory = factory();
        factory.setShutdown(Shutdown.GRACEFUL);
        return factory;
    }

    @Test
    void whenThereAreNoInFlightRequestsShutDownGracefullyReturnsTrueBeforePeriodElapses() throws Exception {
        start(graceful(), ECHO);
        assertThat(post(webServer.getPort())).isEqualTo(HELLO);
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        webServer.shutDownGracefully(result::complete);
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
    }

    /** Boot's variant of the in-flight case: the held response has no body (the other test's has one). */
    @Test
    void whenARequestRemainsInFlightThenShutDownGracefullyDoesNotInvokeCallbackUntilTheRequestCompletes() throws Exception {
        try (HeldRequest request = startAndHoldOne(graceful())) {
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            webServer.shutDownGracefully(result::complete);
            assertThat(result).isNotDone();
            request.completion().tryEmitEmpty();
            RawClient.Response response = request.client().read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
        }
    }

    @Test
    void givenAnInflightRequestWhenTheServerIsStoppedThenGracefulShutdownCallbackIsCalledWithRequestsActive() throws Exception {
        try (HeldRequest request = startAndHoldOne(graceful())) {
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            webServer.shutDownGracefully(result::complete);
            assertThat(result).isNotDone();
            webServer.stop();
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.REQUESTS_ACTIVE);
            assertThat(request.client().closedByServer(10_000)).as("stop closes the held connection").isTrue();
            request.completion().tryEmitEmpty();
        }
    }

    @Test
    void whenARequestIsActiveAfterGracefulShutdownEndsThenStopWillComplete() throws Exception {
        try (HeldRequest request = startAndHoldOne(graceful())) {
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            webServer.shutDownGracefully(result::complete);
            CompletableFuture.runAsync(webServer::stop).get(30, TimeUnit.SECONDS);
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.REQUESTS_ACTIVE);
            assertThat(webServer.getPort()).isEqualTo(-1);
            request.completion().tryEmitEmpty();
        }
    }

    @Test
    void whenARequestIsActiveThenStopWillComplete() throws Exception {
        try (HeldRequest request = startAndHoldOne(factory())) {
            CompletableFuture.runAsync(webServer::stop).get(30, TimeUnit.SECONDS);
            assertThat(webServer.getPort()).isEqualTo(-1);
            assertThat(request.client().closedByServer(10_000)).as("stop closes the held connection").isTrue();
            request.completion().tryEmitEmpty();
        }
    }

    /** Not in Boot's reactive base class: {@code server.max-http-request-header-size} bounds the request head. */
    @Test
    void aRequestHeadOverTheMaxHeaderSizeIsRefusedWith431() throws Exception {
        SakerReactiveWebServerFactory factory = factory();
        factory.setMaxHeadSize(1024);
        start(factory, ECHO);
        try (RawClient client = new RawClient(webServer.getPort())) {
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "v".repeat(2000)
                    + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(431);
        }
        assertThat(post(webServer.getPort())).isEqualTo(HELLO);
    }

    // ------------------------------------------------------------------ HTTP/2

    private static SakerReactiveWebServerFactory http2(SakerReactiveWebServerFactory factory) {
        Http2 http2 = new Http2();
        http2.setEnabled(true);
        factory.setHttp2(http2);
        return factory;
    }

    @Test
    void whenHttp2IsEnabledAndSslIsDisabledThenH2cCanBeUsed() throws Exception {
        start(http2(factory()), ECHO);
        try (H2cTestClient client = new H2cTestClient(webServer.getPort())) {
            H2cTestClient.Response response = client.request("POST", "/", HELLO.getBytes(StandardCharsets.UTF_8));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(HELLO);
        }
    }

    @Test
    void whenHttp2IsEnabledAndSslIsDisabledThenHttp11CanStillBeUsed() throws Exception {
        start(http2(factory()), ECHO);
        assertThat(post(webServer.getPort())).isEqualTo(HELLO);
    }

    /** Not in Boot's reactive base class: h2 over TLS, agreed by ALPN. */
    @Test
    void whenHttp2IsEnabledAndSslIsEnabledThenH2IsAgreedByAlpn() throws Exception {
        SakerReactiveWebServerFactory factory = http2(factory());
        factory.setSsl(jks(null, "classpath:tls/test.jks"));
        HttpHandler protocol = (request, response) -> response.writeWith(Mono.fromSupplier(() -> response.bufferFactory()
                .wrap((request.getURI().getScheme() + " " + (request.getSslInfo() != null)).getBytes(StandardCharsets.UTF_8))));
        start(factory, protocol);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsTestClient.anonymous().context()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + webServer.getPort() + "/"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("https true");
    }
}
