package dev.saker.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.autoconfigure.actuate.web.server.SakerServletManagementContextAutoConfiguration;
import dev.saker.boot.autoconfigure.metrics.SakerMetricsAutoConfiguration;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.boot.servlet.TlsTestClient;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.tls.TlsConfig;
import dev.saker.server.tls.TlsProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.servlet.autoconfigure.actuate.web.ServletManagementContextAutoConfiguration;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;

/** {@code server.ssl.*}, {@code spring.ssl.bundle.*}, {@code saker.server.ssl.*} and the management server's own SSL. */
class SakerSslAutoConfigurationTest {

    private static final String[] PEM_BUNDLES = {
        "spring.ssl.bundle.pem.web.keystore.certificate=classpath:tls/test-cert.pem",
        "spring.ssl.bundle.pem.web.keystore.private-key=classpath:tls/test-key.pem",
        "spring.ssl.bundle.pem.alpha.keystore.certificate=classpath:tls/alpha-cert.pem",
        "spring.ssl.bundle.pem.alpha.keystore.private-key=classpath:tls/alpha-key.pem"};

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                    TomcatServletWebServerAutoConfiguration.class, SslAutoConfiguration.class))
            .withPropertyValues("server.port=0", "server.address=127.0.0.1")
            .withPropertyValues(PEM_BUNDLES);

    @Test
    void sakerSslPropertiesHaveTheirDefaults() {
        runner.withPropertyValues("server.ssl.bundle=web").run(context -> {
            TlsConfig tls = context.getBean(SakerServletWebServerFactory.class).engineConfig().tls();
            assertThat(tls.provider()).isEqualTo(TlsProvider.AUTO);
            assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(tls.maxClientHelloSize()).isEqualTo(16 * 1024);
        });
    }

    @Test
    void sakerSslPropertiesAndTheBundleReachTheEngine() {
        runner.withPropertyValues("server.ssl.bundle=web", "server.ssl.server-name-bundles[0].server-name=alpha.example",
                "server.ssl.server-name-bundles[0].bundle=alpha", "server.ssl.client-auth=want",
                "spring.ssl.bundle.pem.web.options.enabled-protocols=TLSv1.3", "saker.server.ssl.provider=jdk",
                "saker.server.ssl.handshake-timeout=3s", "saker.server.ssl.max-client-hello-size=4KB").run(context -> {
                    assertThat(context).hasNotFailed();
                    TlsConfig tls = context.getBean(SakerServletWebServerFactory.class).engineConfig().tls();
                    assertThat(tls.provider()).isEqualTo(TlsProvider.JDK);
                    assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(tls.maxClientHelloSize()).isEqualTo(4 * 1024);
                    assertThat(tls.defaultMaterial().clientAuth()).isEqualTo(dev.saker.server.tls.ClientAuth.WANT);
                    assertThat(tls.defaultMaterial().protocols()).containsExactly("TLSv1.3");
                    assertThat(tls.defaultMaterial().certificates()).singleElement()
                            .satisfies(cert -> assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=localhost"));
                    assertThat(tls.serverNames()).containsOnlyKeys("alpha.example");
                    SakerWebServer server = webServer(context.getSourceApplicationContext());
                    assertThat(served(server.getPort(), null)).isEqualTo("CN=localhost");
                    assertThat(served(server.getPort(), "alpha.example")).isEqualTo("CN=alpha.example");
                });
    }

    @Test
    void outOfRangeBoundsFailStartUpNamingThem() {
        runner.withPropertyValues("server.ssl.bundle=web", "saker.server.ssl.max-client-hello-size=100B").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("maxClientHelloSize must be within [256, 16777215]: 100");
        });
        runner.withPropertyValues("server.ssl.bundle=web", "saker.server.ssl.handshake-timeout=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("handshakeTimeout must be positive");
        });
    }

    @Test
    void theExpiryGaugeShowsTheBundlesCertificatesAndFollowsAReload() {
        runner.withConfiguration(AutoConfigurations.of(SakerMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("server.ssl.bundle=web", "server.ssl.server-name-bundles[0].server-name=alpha.example",
                        "server.ssl.server-name-bundles[0].bundle=alpha").run(context -> {
                    AnnotationConfigServletWebServerApplicationContext web =
                            (AnnotationConfigServletWebServerApplicationContext) context.getSourceApplicationContext();
                    context.publishEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0], web, Duration.ZERO));
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("saker.tls.certificate.expiry").tag("server.name", "default")
                            .tag("subject", "CN=localhost").gauge().value()).isGreaterThan(Duration.ofDays(365 * 50).toSeconds());
                    assertThat(registry.find("saker.tls.certificate.expiry").tag("subject", "CN=alpha.example").gauge())
                            .isNotNull();
                    SslBundles bundles = context.getBean(SslBundles.class);
                    ((DefaultSslBundleRegistry) bundles).updateBundle("web", bundles.getBundle("alpha"));
                    assertThat(registry.find("saker.tls.certificate.expiry").tag("server.name", "default")
                            .tag("subject", "CN=alpha.example").gauge()).isNotNull();
                    assertThat(registry.find("saker.tls.certificate.expiry").tag("server.name", "default")
                            .tag("subject", "CN=localhost").gauge()).isNull();
                });
    }

    @Test
    void reloadOnUpdateServesTheNewFilesWithoutARestart(@TempDir Path dir) throws Exception {
        Path certificate = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        copyFixture("alpha", certificate, key);
        runner.withPropertyValues("spring.ssl.bundle.pem.watched.reload-on-update=true",
                "spring.ssl.bundle.pem.watched.keystore.certificate=file:" + certificate,
                "spring.ssl.bundle.pem.watched.keystore.private-key=file:" + key,
                "spring.ssl.bundle.watch.file.quiet-period=100ms", "server.ssl.bundle=watched").run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = webServer(context.getSourceApplicationContext()).getPort();
                    assertThat(served(port, null)).isEqualTo("CN=alpha.example");
                    copyFixture("beta", certificate, key);
                    assertThat(Poll.until(Duration.ofSeconds(30), () -> {
                        try {
                            return served(port, null).equals("CN=beta.example");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })).as("the new certificate is served after Boot's file watcher saw the change").isTrue();
                });
    }

    private static void copyFixture(String name, Path certificate, Path key) throws IOException {
        try (InputStream crt = SakerSslAutoConfigurationTest.class.getResourceAsStream("/tls/" + name + "-cert.pem");
             InputStream pem = SakerSslAutoConfigurationTest.class.getResourceAsStream("/tls/" + name + "-key.pem")) {
            // The key first: the watcher reloads once both are in place (or reloads again after its quiet period).
            Files.copy(pem, key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(crt, certificate, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void anUnknownBundleFailsStartUpWithBootsMessage() {
        runner.withPropertyValues("server.ssl.bundle=nope").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("SSL bundle name 'nope' cannot be found");
        });
    }

    @Test
    void theManagementServerHonoursItsOwnSsl() {
        runner.withConfiguration(AutoConfigurations.of(ManagementContextAutoConfiguration.class,
                        ServletManagementContextAutoConfiguration.class, SakerServletManagementContextAutoConfiguration.class))
                .withUserConfiguration(Ports.class)
                .withPropertyValues("management.server.port=0", "management.server.ssl.bundle=alpha").run(context -> {
                    assertThat(context).hasNotFailed();
                    Map<String, Integer> ports = context.getBean(Ports.class).ports;
                    assertThat(ports).containsKeys("server", "management");
                    try (RawClient plain = new RawClient(ports.get("server"))) {
                        plain.send("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n");
                        assertThat(plain.read().status()).isEqualTo(404);
                    }
                    assertThat(served(ports.get("management"), null)).isEqualTo("CN=alpha.example");
                    try (RawClient plain = new RawClient(ports.get("management"))) {
                        plain.send("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n");
                        RawClient.Response refused = plain.read();
                        assertThat(refused.status()).as("plain HTTP on the TLS management port").isEqualTo(400);
                        assertThat(refused.bodyText()).contains("needs TLS");
                    }
                });
    }

    @Test
    void withoutItsOwnSslTheManagementServerTakesServerSsl() {
        runner.withConfiguration(AutoConfigurations.of(ManagementContextAutoConfiguration.class,
                        ServletManagementContextAutoConfiguration.class, SakerServletManagementContextAutoConfiguration.class))
                .withUserConfiguration(Ports.class)
                .withPropertyValues("management.server.port=0", "server.ssl.bundle=alpha").run(context -> {
                    assertThat(context).hasNotFailed();
                    Map<String, Integer> ports = context.getBean(Ports.class).ports;
                    assertThat(served(ports.get("server"), null)).isEqualTo("CN=alpha.example");
                    assertThat(served(ports.get("management"), null)).isEqualTo("CN=alpha.example");
                });
    }

    private static SakerWebServer webServer(org.springframework.context.ApplicationContext context) {
        return (SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext) context).getWebServer();
    }

    /** @return the subject of the certificate served on {@code port} (after one request answered over it) */
    private static String served(int port, String serverName) throws Exception {
        TlsTestClient client = TlsTestClient.anonymous();
        if (serverName != null) {
            client.serverName(serverName);
        }
        try (SSLSocket socket = client.connect(port); RawClient http = new RawClient(socket)) {
            assertThat(TlsTestClient.get(http, "/nothing").status()).isBetween(200, 599);
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /** Records the port of each web server (the management child's events reach the parent too). */
    @Configuration(proxyBeanMethods = false)
    static class Ports implements ApplicationListener<WebServerInitializedEvent> {
        final Map<String, Integer> ports = new ConcurrentHashMap<>();

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            String namespace = event.getApplicationContext().getServerNamespace();
            ports.put(namespace == null ? "server" : namespace, event.getWebServer().getPort());
        }
    }
}
