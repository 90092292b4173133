package dev.saker.boot.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.testing.RawClient;
import dev.saker.server.tls.TlsProvider;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
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
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.Ssl.ClientAuth;
import org.springframework.boot.web.server.servlet.Session;

/**
 * The SSL cases of Boot's {@code AbstractServletWebServerFactoryTests} (and of Tomcat's factory
 * tests: ciphers, protocols, server-name bundles), on Saker, with the factory created as Boot does
 * and only what each case sets. Key material: {@code src/test/resources/tls} ({@code make-fixtures.sh}).
 */
@ExtendWith(OutputCaptureExtension.class)
class SakerServletWebServerFactorySslTest extends FactoryTestSupport {

    @TempDir
    File tempDir;

    // ------------------------------------------------------------------ key stores

    @Test
    void basicSslFromClassPath(CapturedOutput output) throws Exception {
        testBasicSslWithKeyStore("classpath:tls/test.jks");
        String provider = expectedProvider().name().toLowerCase(java.util.Locale.ROOT);
        assertThat(((dev.saker.boot.SakerWebServer) webServer).server().tlsProvider()).isEqualTo(expectedProvider());
        assertThat(output).contains("on port " + webServer.getPort() + " (https, " + provider + " TLS)");
    }

    @Test
    void basicSslFromFileSystem() throws Exception {
        Path copy = tempDir.toPath().resolve("copy.jks");
        try (InputStream in = getClass().getResourceAsStream("/tls/test.jks")) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        testBasicSslWithKeyStore(copy.toString());
    }

    private void testBasicSslWithKeyStore(String keyStore) throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        factory.setSsl(ssl(null, "password", keyStore));
        assertThat(startAndGetTestTxt(factory, TlsTestClient.anonymous())).isEqualTo("test");
    }

    @Test
    void sslDisabled() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(null, "password", "classpath:tls/test.jks");
        ssl.setEnabled(false);
        factory.setSsl(ssl);
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        assertThatThrownBy(() -> TlsTestClient.anonymous().get(webServer.getPort(), "/hello"))
                .isInstanceOf(SSLException.class);
        assertThat(get("/hello").bodyText()).contains("scheme=http;");
    }

    @Test
    void sslGetScheme() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(ssl(null, "password", "classpath:tls/test.jks"));
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        assertThat(TlsTestClient.anonymous().get(webServer.getPort(), "/hello").bodyText())
                .contains("scheme=https;").contains("secure=true;");
    }

    @Test
    void sslKeyAlias() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(null, "password", "classpath:tls/test.jks");
        ssl.setKeyAlias("test-alias");
        factory.setSsl(ssl);
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort());
             RawClient client = new RawClient(socket)) {
            assertThat(TlsTestClient.servedName(socket)).isEqualTo("test-alias");
            assertThat(TlsTestClient.get(client, "/hello").bodyText()).contains("scheme=https;");
        }
        // The other key of the store is never served, whatever the client asks.
        for (int i = 0; i < 3; i++) {
            try (SSLSocket socket = TlsTestClient.anonymous().serverName("spring-boot.example").connect(webServer.getPort())) {
                assertThat(TlsTestClient.servedName(socket)).isEqualTo("test-alias");
            }
        }
    }

    @Test
    void sslWithInvalidAliasFailsDuringStartup() {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(null, "password", "classpath:tls/test.jks");
        ssl.setKeyAlias("test-alias-404");
        factory.setSsl(ssl);
        assertThatThrownBy(() -> {
            webServer = factory.getWebServer(servlet("/hello", requestFacts()));
            webServer.start();
        }).hasStackTraceContaining("Keystore does not contain alias 'test-alias-404'");
    }

    @Test
    void sslWithAWrongKeyPasswordFailsDuringStartup() {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(ssl(null, "not-the-password", "classpath:tls/test.jks"));
        assertThatThrownBy(() -> webServer = factory.getWebServer()).hasStackTraceContaining("Could not load key manager factory");
    }

    @Test
    void sslWithAWrongStorePasswordFailsDuringStartup() {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(null, "password", "classpath:tls/test.jks");
        ssl.setKeyStorePassword("not-the-secret");
        factory.setSsl(ssl);
        assertThatThrownBy(() -> webServer = factory.getWebServer()).hasStackTraceContaining("password was incorrect");
    }

    @Test
    void sslWithNoKeyMaterialFailsWithBootsMessage() {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = new Ssl();
        ssl.setEnabled(true);
        factory.setSsl(ssl);
        assertThatThrownBy(() -> webServer = factory.getWebServer())
                .hasStackTraceContaining("SSL is enabled but no trust material is configured for the default host");
    }

    @Test
    void serverHeaderIsDisabledByDefaultWhenUsingSsl() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(ssl(null, "password", "classpath:tls/test.jks"));
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        assertThat(TlsTestClient.anonymous().get(webServer.getPort(), "/hello").header("Server")).isNull();
    }

    @Test
    void serverHeaderCanBeCustomizedWhenUsingSsl() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setServerHeader("MyServer");
        factory.setSsl(ssl(null, "password", "classpath:tls/test.jks"));
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        assertThat(TlsTestClient.anonymous().get(webServer.getPort(), "/hello").header("Server")).isEqualTo("MyServer");
    }

    @Test
    void pkcs12KeyStoreAndTrustStore() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        Ssl ssl = ssl(ClientAuth.NEED, null, "classpath:tls/test.p12");
        ssl.setTrustStore("classpath:tls/test.p12");
        ssl.setTrustStorePassword("secret");
        ssl.setTrustStoreType("pkcs12");
        factory.setSsl(ssl);
        assertThat(startAndGetTestTxt(factory, TlsTestClient.withKeys("test.p12", "secret"))).isEqualTo("test");
    }

    @Test
    void pemKeyStoreAndTrustStore() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        Ssl ssl = new Ssl();
        ssl.setClientAuth(ClientAuth.NEED);
        ssl.setCertificate("classpath:tls/test-cert.pem");
        ssl.setCertificatePrivateKey("classpath:tls/test-key.pem");
        ssl.setTrustCertificate("classpath:tls/test-cert.pem");
        factory.setSsl(ssl);
        assertThat(startAndGetTestTxt(factory, TlsTestClient.withKeys("test.p12", "secret"))).isEqualTo("test");
    }

    @Test
    void pkcs12KeyStoreAndTrustStoreFromBundle() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        factory.setSsl(needingClientAuth(Ssl.forBundle("test")));
        factory.setSslBundles(new DefaultSslBundleRegistry("test", jksBundle("classpath:tls/test.p12")));
        assertThat(startAndGetTestTxt(factory, TlsTestClient.withKeys("test.p12", "secret"))).isEqualTo("test");
        assertThatThrownBy(() -> TlsTestClient.anonymous().get(webServer.getPort(), "/test.txt"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void pemKeyStoreAndTrustStoreFromBundle() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        factory.setSsl(needingClientAuth(Ssl.forBundle("test")));
        factory.setSslBundles(new DefaultSslBundleRegistry("test", pemBundle("test")));
        assertThat(startAndGetTestTxt(factory, TlsTestClient.withKeys("test.p12", "secret"))).isEqualTo("test");
    }

    @Test
    void aMissingBundleFailsWithBootsMessage() {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(Ssl.forBundle("absent"));
        factory.setSslBundles(new DefaultSslBundleRegistry());
        assertThatThrownBy(() -> webServer = factory.getWebServer())
                .hasStackTraceContaining("SSL bundle name 'absent' cannot be found");
    }

    // ------------------------------------------------------------------ client authentication

    @Test
    void sslNeedsClientAuthenticationSucceedsWithClientCertificate() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        Ssl ssl = ssl(ClientAuth.NEED, "password", "classpath:tls/test.jks");
        ssl.setTrustStore("classpath:tls/test.jks");
        ssl.setTrustStorePassword("secret");
        factory.setSsl(ssl);
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        TlsTestClient client = TlsTestClient.withKeys("test.jks", "password");
        assertThat(client.get(webServer.getPort(), "/test.txt").bodyText()).isEqualTo("test");
        assertThat(client.get(webServer.getPort(), "/hello").bodyText()).matches("(?s).*clientCert=CN=(spring-boot|test-alias);.*");
    }

    @Test
    void sslNeedsClientAuthenticationFailsWithoutClientCertificate() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        factory.setSsl(ssl(ClientAuth.NEED, "password", "classpath:tls/test.jks"));
        webServer = factory.getWebServer();
        webServer.start();
        // Over TLS 1.3 the client learns of the refusal on its first read, not in its handshake.
        assertThatThrownBy(() -> TlsTestClient.anonymous().get(webServer.getPort(), "/test.txt"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void sslWantsClientAuthenticationSucceedsWithClientCertificate() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        Ssl ssl = ssl(ClientAuth.WANT, "password", "classpath:tls/test.jks");
        ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
        factory.setSsl(ssl);
        assertThat(startAndGetTestTxt(factory, TlsTestClient.withKeys("test.jks", "password"))).isEqualTo("test");
    }

    @Test
    void sslWantsClientAuthenticationSeesATrustedClientCertificate() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(ClientAuth.WANT, null, "classpath:tls/test.p12");
        ssl.setTrustStore("classpath:tls/test.p12");
        ssl.setTrustStorePassword("secret");
        factory.setSsl(ssl);
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        assertThat(TlsTestClient.withKeys("test.p12", "secret").get(webServer.getPort(), "/hello").bodyText())
                .contains("clientCert=CN=localhost;");
        assertThat(TlsTestClient.anonymous().get(webServer.getPort(), "/hello").bodyText()).contains("clientCert=none;");
    }

    @Test
    void sslWantsClientAuthenticationSucceedsWithoutClientCertificate() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        addTestTxtFile(factory);
        factory.setSsl(ssl(ClientAuth.WANT, "password", "classpath:tls/test.jks"));
        assertThat(startAndGetTestTxt(factory, TlsTestClient.anonymous())).isEqualTo("test");
    }

    // ------------------------------------------------------------------ protocols and ciphers

    @Test
    void sslEnabledProtocolsConfiguration() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(null, "password", "classpath:tls/test.jks");
        ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
        factory.setSsl(ssl);
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort())) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
        assertThatThrownBy(() -> TlsTestClient.anonymous().protocols("TLSv1.3").connect(webServer.getPort()).close())
                .isInstanceOf(SSLException.class);
    }

    @Test
    void sslEnabledMultipleProtocolsConfiguration() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(null, "password", "classpath:tls/test.jks");
        ssl.setEnabledProtocols(new String[] {"TLSv1.2", "TLSv1.3"});
        factory.setSsl(ssl);
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            try (SSLSocket socket = TlsTestClient.anonymous().protocols(protocol).connect(webServer.getPort())) {
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            }
        }
    }

    @Test
    void sslCiphersConfiguration() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(null, "password", "classpath:tls/test.jks");
        ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
        ssl.setCiphers(new String[] {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"});
        factory.setSsl(ssl);
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort()); RawClient client = new RawClient(socket)) {
            assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
            assertThat(TlsTestClient.get(client, "/hello").bodyText())
                    .contains("cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384;").contains("keySize=256;");
        }
    }

    @Test
    void aCipherTheProviderDoesNotKnowFailsStartUp() {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = ssl(null, "password", "classpath:tls/test.jks");
        ssl.setCiphers(new String[] {"TLS_NO_SUCH_CIPHER"});
        factory.setSsl(ssl);
        webServer = factory.getWebServer();
        assertThatThrownBy(webServer::start).isInstanceOf(org.springframework.boot.web.server.WebServerException.class)
                .hasMessageContaining("Unable to start Saker: cannot start TLS on port 0")
                .hasMessageContaining("TLS_NO_SUCH_CIPHER");
    }

    // ------------------------------------------------------------------ server names (SNI)

    @Test
    void serverNameBundlesServeTheirCertificateBySni() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = Ssl.forBundle("test");
        ssl.setServerNameBundles(List.of(new Ssl.ServerNameSslBundle("alpha.example", "alpha"),
                new Ssl.ServerNameSslBundle("beta.example", "beta")));
        factory.setSsl(ssl);
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("test", pemBundle("test"));
        bundles.registerBundle("alpha", pemBundle("alpha"));
        bundles.registerBundle("beta", pemBundle("beta"));
        factory.setSslBundles(bundles);
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        assertThat(servedName(null)).isEqualTo("localhost");
        assertThat(servedName("alpha.example")).isEqualTo("alpha.example");
        assertThat(servedName("BETA.example")).isEqualTo("beta.example");
        assertThat(servedName("other.example")).as("unknown names get the default").isEqualTo("localhost");
    }

    private String servedName(String sni) throws IOException {
        try (SSLSocket socket = TlsTestClient.anonymous().serverName(sni).connect(webServer.getPort());
             RawClient client = new RawClient(socket)) {
            assertThat(TlsTestClient.get(client, "/hello").status()).isEqualTo(200);
            return TlsTestClient.servedName(socket);
        }
    }

    // ------------------------------------------------------------------ request view and sessions

    @Test
    void theRequestSeesTlsAttributesAndDefaultPort() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(ssl(null, "password", "classpath:tls/test.jks"));
        webServer = factory.getWebServer(servlet("/hello", requestFacts()));
        webServer.start();
        String body = TlsTestClient.anonymous().get(webServer.getPort(), "/hello").bodyText();
        assertThat(body).contains("port=443;").contains("url=https://localhost/hello;").contains("clientCert=none;")
                .containsPattern("cipher=TLS_\\w+;").containsPattern("keySize=(128|256);");
    }

    @Test
    void theSessionCookieIsSecureOverTls() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(ssl(null, "password", "classpath:tls/test.jks"));
        webServer = factory.getWebServer(servlet("/session", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession(true);
            }
        }));
        webServer.start();
        assertThat(TlsTestClient.anonymous().get(webServer.getPort(), "/session").header("Set-Cookie"))
                .contains("JSESSIONID=").contains("; Secure");
    }

    @Test
    void sslSessionTracking() {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = new Ssl();
        ssl.setEnabled(true);
        ssl.setKeyStore("classpath:tls/test.jks");
        ssl.setKeyStorePassword("secret");
        ssl.setKeyPassword("password");
        factory.setSsl(ssl);
        factory.getSettings().getSession().setTrackingModes(EnumSet.of(Session.SessionTrackingMode.SSL));
        AtomicReference<ServletContext> context = new AtomicReference<>();
        webServer = factory.getWebServer(context::set);
        assertThat(context.get().getEffectiveSessionTrackingModes()).isEqualTo(EnumSet.of(jakarta.servlet.SessionTrackingMode.SSL));
    }

    @Test
    void sslSessionTrackingKeepsOneSessionPerTlsSessionWithoutACookie() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(ssl(null, "password", "classpath:tls/test.jks"));
        factory.getSettings().getSession().setTrackingModes(EnumSet.of(Session.SessionTrackingMode.SSL));
        webServer = factory.getWebServer(servlet("/session", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                jakarta.servlet.http.HttpSession session = req.getSession(true);
                int visits = session.getAttribute("visits") == null ? 1 : (Integer) session.getAttribute("visits") + 1;
                session.setAttribute("visits", visits);
                resp.getWriter().print(session.getId() + " " + visits);
            }
        }));
        webServer.start();
        try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort()); RawClient client = new RawClient(socket)) {
            RawClient.Response first = TlsTestClient.get(client, "/session");
            assertThat(first.header("Set-Cookie")).isNull();
            assertThat(first.bodyText()).matches("[0-9a-f]+ 1");
            assertThat(TlsTestClient.get(client, "/session").bodyText()).isEqualTo(first.bodyText().replace(" 1", " 2"));
        }
    }

    @Test
    void sslSessionTrackingWithoutSslFailsClearly() {
        SakerServletWebServerFactory factory = sslFactory();
        factory.getSettings().getSession().setTrackingModes(EnumSet.of(Session.SessionTrackingMode.SSL));
        assertThatThrownBy(() -> webServer = factory.getWebServer()).hasStackTraceContaining("SSL session tracking needs a TLS listener");
    }

    // ------------------------------------------------------------------ helpers

    private static Ssl ssl(ClientAuth clientAuth, String keyPassword, String keyStore) {
        Ssl ssl = new Ssl();
        ssl.setClientAuth(clientAuth);
        if (keyPassword != null) {
            ssl.setKeyPassword(keyPassword);
        }
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword("secret");
        if (keyStore.endsWith(".p12")) {
            ssl.setKeyStoreType("pkcs12");
        }
        return ssl;
    }

    private static Ssl needingClientAuth(Ssl ssl) {
        ssl.setClientAuth(ClientAuth.NEED);
        return ssl;
    }

    static SslBundle jksBundle(String location) {
        JksSslStoreDetails details = new JksSslStoreDetails(location.endsWith(".p12") ? "pkcs12" : null, null, location, "secret");
        return SslBundle.of(new JksSslStoreBundle(details, details));
    }

    /** @param name {@code test}, {@code alpha} or {@code beta}: the PEM fixture pair, trusting itself */
    static SslBundle pemBundle(String name) {
        String certificate = "classpath:tls/" + name + "-cert.pem";
        return SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate(certificate).withPrivateKey("classpath:tls/" + name + "-key.pem"),
                PemSslStoreDetails.forCertificate(certificate)));
    }

    /** Starts the factory's server and answers what {@code client} gets for {@code /test.txt}. */
    private String startAndGetTestTxt(SakerServletWebServerFactory factory, TlsTestClient client) throws IOException {
        webServer = factory.getWebServer();
        webServer.start();
        return client.get(webServer.getPort(), "/test.txt").bodyText();
    }

    private void addTestTxtFile(SakerServletWebServerFactory factory) throws IOException {
        Files.writeString(tempDir.toPath().resolve("test.txt"), "test", StandardCharsets.UTF_8);
        factory.setDocumentRoot(tempDir);
        factory.setRegisterDefaultServlet(true);
    }

    /** A servlet that prints what the request says about its connection. */
    static HttpServlet requestFacts() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                X509Certificate[] chain = (X509Certificate[]) req.getAttribute("jakarta.servlet.request.X509Certificate");
                resp.setContentType("text/plain");
                resp.getWriter().print("scheme=" + req.getScheme() + ";secure=" + req.isSecure() + ";port=" + req.getServerPort()
                        + ";url=" + req.getRequestURL() + ";cipher=" + req.getAttribute("jakarta.servlet.request.cipher_suite")
                        + ";keySize=" + req.getAttribute("jakarta.servlet.request.key_size")
                        + ";sessionId=" + req.getAttribute("jakarta.servlet.request.ssl_session_id")
                        + ";clientCert=" + (chain == null ? "none" : chain[0].getSubjectX500Principal().getName()) + ";");
            }
        };
    }
}
