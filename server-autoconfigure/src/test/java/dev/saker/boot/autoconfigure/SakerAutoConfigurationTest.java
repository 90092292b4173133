package dev.saker.boot.autoconfigure;

import dev.saker.boot.servlet.SakerServletWebServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.boot.SakerServerCustomizer;
import dev.saker.boot.SakerWebServer;
import dev.saker.boot.autoconfigure.metrics.SakerMetricsAutoConfiguration;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.boot.metrics.SakerMetricsBinder;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.RawClient;
import dev.saker.server.transport.TransportKind;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.session.SessionManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SakerAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                    TomcatServletWebServerAutoConfiguration.class))
            .withPropertyValues("server.port=0", "server.address=127.0.0.1");

    @Test
    void sakerIsTheServerEvenWithTomcatOnTheClassPath() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ServletWebServerFactory.class);
            assertThat(context.getBean(ServletWebServerFactory.class)).isInstanceOf(SakerServletWebServerFactory.class);
            SakerWebServer server = (SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext) context
                    .getSourceApplicationContext()).getWebServer();
            assertThat(server.getPort()).isPositive();
            try (RawClient client = new RawClient(server.getPort())) {
                client.send("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(404);
            }
        });
    }

    @Test
    void backsOffForTheApplicationsOwnFactory() {
        runner.withUserConfiguration(OwnFactory.class).run(context -> {
            assertThat(context).hasSingleBean(ServletWebServerFactory.class);
            assertThat(context.getBean(ServletWebServerFactory.class)).isInstanceOf(TomcatServletWebServerFactory.class);
        });
    }

    @Test
    void minusOneMaxConnectionsMeansNoLimitAsOnTomcat() {
        runner.withPropertyValues("saker.server.max-connections=-1").run(context -> assertThat(
                engineConfig(context.getBean(SakerServletWebServerFactory.class)).maxConnections()).isEqualTo(Integer.MAX_VALUE));
    }

    @Test
    void sakerAndServerPropertiesReachTheEngine() {
        runner.withPropertyValues("saker.server.transport=nio", "saker.server.io-threads=3", "saker.server.max-connections=42",
                "saker.server.max-header-count=20", "saker.server.max-request-body-size=1MB", "saker.server.drain-limit=64KB",
                "saker.server.head-timeout=5s", "saker.server.keep-alive-timeout=7s", "saker.server.body-read-timeout=9s",
                "saker.server.write-timeout=11s", "saker.server.drain-idle-grace=3s", "saker.server.max-keep-alive-requests=100", "saker.server.backlog=64",
                "saker.server.allow-bare-lf=true", "saker.server.threads.max=12", "saker.server.threads.queue-capacity=34",
                "server.max-http-request-header-size=16KB", "server.server-header=Shop",
                "server.forward-headers-strategy=native", "saker.server.servlet.async-timeout=4s",
                "saker.server.servlet.max-form-size=10KB", "saker.server.servlet.allow-encoded-slash=true",
                "saker.server.servlet.upgrade-idle-timeout=2m").run(context -> {
                    SakerServletWebServerFactory factory = context.getBean(SakerServletWebServerFactory.class);
                    ServerConfig config = engineConfig(factory);
                    assertThat(config.transport()).isEqualTo(TransportKind.NIO);
                    assertThat(config.ioThreads()).isEqualTo(3);
                    assertThat(config.maxConnections()).isEqualTo(42);
                    assertThat(config.maxHeaderCount()).isEqualTo(20);
                    assertThat(config.maxRequestBodySize()).isEqualTo(1024 * 1024);
                    assertThat(config.drainLimit()).isEqualTo(64 * 1024);
                    assertThat(config.headTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(config.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(config.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(9));
                    assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(11));
                    assertThat(config.drainIdleGrace()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(config.maxKeepAliveRequests()).isEqualTo(100);
                    assertThat(config.backlog()).isEqualTo(64);
                    assertThat(config.allowBareLf()).isTrue();
                    assertThat(config.workerThreads()).isEqualTo(12);
                    assertThat(config.workerQueueCapacity()).isEqualTo(34);
                    assertThat(config.maxHeadSize()).isEqualTo(16 * 1024);
                    assertThat(config.serverHeader()).isEqualTo("Shop");
                    assertThat(config.port()).isZero();
                    assertThat(factory.isUseForwardHeaders()).isTrue();
                    assertThat(factory.getContainerConfig().asyncTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(factory.getContainerConfig().maxFormSize()).isEqualTo(10 * 1024);
                    assertThat(factory.getContainerConfig().allowEncodedSlash()).isTrue();
                    assertThat(factory.getContainerConfig().upgradeIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
                });
    }

    @Test
    void formAndMultipartLimitsDefaultToTomcatsAndAreMapped() {
        runner.run(context -> {
            ServletContainerConfig config = context.getBean(SakerServletWebServerFactory.class).getContainerConfig();
            assertThat(config.maxPartCount()).isEqualTo(50);
            assertThat(config.maxPartHeaderSize()).isEqualTo(512);
            assertThat(config.maxParameterCount()).isEqualTo(1000);
        });
        runner.withPropertyValues("saker.server.max-part-count=7", "saker.server.max-part-header-size=2KB",
                "saker.server.max-parameter-count=-1").run(context -> {
                    ServletContainerConfig config = context.getBean(SakerServletWebServerFactory.class).getContainerConfig();
                    assertThat(config.maxPartCount()).isEqualTo(7);
                    assertThat(config.maxPartHeaderSize()).isEqualTo(2048);
                    assertThat(config.maxParameterCount()).isEqualTo(-1);
                });
    }

    @Test
    void maxActiveSessionsReachesTheSessionManagerAndIsCountedWhenItRefusesOne() {
        runner.run(context -> {
            assertThat(context.getBean(SakerServletWebServerFactory.class).getContainerConfig().maxActiveSessions())
                    .isEqualTo(-1);
            assertThat(webServer(context).container().sessions().maxActiveSessions()).isEqualTo(-1);
        });
        runner.withPropertyValues("saker.server.servlet.session.max-active-sessions=0")
                .withConfiguration(AutoConfigurations.of(SakerMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SakerServletWebServerFactory.class).getContainerConfig().maxActiveSessions())
                            .isZero();
                    SessionManager sessions = webServer(context).container().sessions();
                    assertThat(sessions.maxActiveSessions()).isZero();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("saker.sessions.rejected").tag("server", "application").functionCounter()
                            .count()).isZero();
                    assertThatThrownBy(sessions::create).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("max-active-sessions 0");
                    assertThat(registry.get("saker.sessions.rejected").functionCounter().count()).isEqualTo(1);
                });
    }

    private static SakerServletWebServer webServer(AssertableWebApplicationContext context) {
        return (SakerServletWebServer) ((AnnotationConfigServletWebServerApplicationContext) context.getSourceApplicationContext())
                .getWebServer();
    }

    @Test
    void customizerBeansApplyAfterTheProperties() {
        runner.withPropertyValues("saker.server.max-connections=42").withUserConfiguration(Customizers.class).run(context -> {
            ServerConfig config = engineConfig(context.getBean(SakerServletWebServerFactory.class));
            assertThat(config.maxConnections()).isEqualTo(7);
        });
    }

    @Test
    void virtualThreadsPropertySelectsVirtualThreadDispatch() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            assertThat(context).hasNotFailed();
            // Spring Boot's threading condition only turns virtual threads on from Java 21, as for Tomcat.
            assertThat(context.getBean(SakerServletWebServerFactory.class).getDispatchMode()).isEqualTo(
                    Runtime.version().feature() >= 21 ? DispatchMode.VIRTUAL_THREADS : DispatchMode.WORKER_POOL);
        });
    }

    @Test
    void http2PropertyReachesTheFactoryAndTheEngine() {
        runner.withPropertyValues("server.http2.enabled=true").run(context -> {
            assertThat(context).hasNotFailed();
            SakerServletWebServerFactory factory = context.getBean(SakerServletWebServerFactory.class);
            assertThat(factory.getHttp2().isEnabled()).isTrue();
            assertThat(factory.engineConfig().http2()).isTrue();
        });
    }

    @Test
    void http2LimitPropertiesReachTheEngine() {
        runner.withPropertyValues("server.http2.enabled=true", "saker.server.http2.max-concurrent-streams=50",
                "saker.server.http2.max-handlers-per-connection=7", "saker.server.http2.initial-window-size=1MB",
                "saker.server.http2.max-frame-size=32KB", "saker.server.http2.max-resets-received-per-window=300",
                "saker.server.http2.max-resets-sent-per-window=150", "saker.server.http2.reset-window=1m",
                "saker.server.http2.max-consecutive-empty-data-frames=3", "saker.server.http2.max-small-continuation-frames=8",
                "saker.server.http2.max-queued-control-frames=5000", "saker.server.http2.max-upgrade-body-size=16KB").run(context -> {
                    assertThat(context).hasNotFailed();
                    ServerConfig config = context.getBean(SakerServletWebServerFactory.class).engineConfig();
                    assertThat(config.http2MaxConcurrentStreams()).isEqualTo(50);
                    assertThat(config.http2MaxHandlersPerConnection()).isEqualTo(7);
                    assertThat(config.http2InitialWindowSize()).isEqualTo(1024 * 1024);
                    assertThat(config.http2MaxFrameSize()).isEqualTo(32 * 1024);
                    assertThat(config.http2MaxResetsReceivedPerWindow()).isEqualTo(300);
                    assertThat(config.http2MaxResetsSentPerWindow()).isEqualTo(150);
                    assertThat(config.http2ResetWindow()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(config.http2MaxConsecutiveEmptyDataFrames()).isEqualTo(3);
                    assertThat(config.http2MaxSmallContinuationFrames()).isEqualTo(8);
                    assertThat(config.http2MaxQueuedControlFrames()).isEqualTo(5000);
                    assertThat(config.http2MaxUpgradeBodySize()).isEqualTo(16 * 1024);
                });
    }

    @Test
    void admissionLimitPropertiesReachTheEngine() {
        runner.withPropertyValues("saker.server.limits.per-client.max-connections=8",
                "saker.server.limits.per-client.requests-per-second=2.5", "saker.server.limits.per-client.burst=20",
                "saker.server.limits.per-client.max-clients=5000", "saker.server.limits.per-client.ipv6-prefix-length=56",
                "saker.server.limits.per-client.trusted-proxies=10.0.0.0/8,192.168.1.7", "saker.server.limits.per-client.client-header=forwarded", "saker.server.limits.max-concurrent-requests=300",
                "saker.server.limits.retry-after=5s", "saker.server.limits.adaptive.enabled=true",
                "saker.server.limits.adaptive.min-limit=10", "saker.server.limits.adaptive.initial-limit=100",
                "saker.server.limits.adaptive.latency-threshold=250ms", "saker.server.limits.adaptive.backoff-ratio=0.8")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    dev.saker.server.admission.AdmissionConfig admission =
                            context.getBean(SakerServletWebServerFactory.class).engineConfig().admission();
                    assertThat(admission.maxConnectionsPerClient()).isEqualTo(8);
                    assertThat(admission.requestsPerSecond()).isEqualTo(2.5);
                    assertThat(admission.burst()).isEqualTo(20);
                    assertThat(admission.maxClients()).isEqualTo(5000);
                    assertThat(admission.perClientIpv6PrefixLength()).isEqualTo(56);
                    assertThat(admission.trustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.7");
                    assertThat(admission.clientHeader()).isEqualTo("Forwarded");
                    assertThat(admission.maxConcurrentRequests()).isEqualTo(300);
                    assertThat(admission.retryAfter()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(admission.adaptive()).isTrue();
                    assertThat(admission.adaptiveMinLimit()).isEqualTo(10);
                    assertThat(admission.adaptiveInitialLimit()).isEqualTo(100);
                    assertThat(admission.adaptiveLatencyThreshold()).isEqualTo(Duration.ofMillis(250));
                    assertThat(admission.adaptiveBackoffRatio()).isEqualTo(0.8);
                    assertThat(admission.enabled()).isTrue();
                });
    }

    @Test
    void admissionIsOffByDefault() {
        runner.run(context -> assertThat(context.getBean(SakerServletWebServerFactory.class).engineConfig()
                .admission().enabled()).isFalse());
    }

    @Test
    void http2LimitDefaultsAreTheEngines() {
        runner.run(context -> {
            ServerConfig config = context.getBean(SakerServletWebServerFactory.class).engineConfig();
            ServerConfig engine = ServerConfig.builder().build();
            assertThat(config.http2MaxConcurrentStreams()).isEqualTo(engine.http2MaxConcurrentStreams());
            assertThat(config.http2MaxHandlersPerConnection()).isEqualTo(engine.http2MaxHandlersPerConnection());
            assertThat(config.http2InitialWindowSize()).isEqualTo(engine.http2InitialWindowSize());
            assertThat(config.http2MaxFrameSize()).isEqualTo(engine.http2MaxFrameSize());
            assertThat(config.http2MaxResetsReceivedPerWindow()).isEqualTo(engine.http2MaxResetsReceivedPerWindow());
            assertThat(config.http2MaxResetsSentPerWindow()).isEqualTo(engine.http2MaxResetsSentPerWindow());
            assertThat(config.http2ResetWindow()).isEqualTo(engine.http2ResetWindow());
            assertThat(config.http2MaxConsecutiveEmptyDataFrames()).isEqualTo(engine.http2MaxConsecutiveEmptyDataFrames());
            assertThat(config.http2MaxSmallContinuationFrames()).isEqualTo(engine.http2MaxSmallContinuationFrames());
            assertThat(config.http2MaxQueuedControlFrames()).isEqualTo(engine.http2MaxQueuedControlFrames());
            assertThat(config.http2MaxUpgradeBodySize()).isEqualTo(engine.http2MaxUpgradeBodySize());
        });
    }

    @Test
    void anHttp2LimitOutOfRangeFailsStartUpNamingIt() {
        runner.withPropertyValues("saker.server.http2.max-frame-size=1KB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("http2MaxFrameSize");
        });
    }

    @Test
    void metersAreBoundWhenTheWebServerStarts() {
        runner.withConfiguration(AutoConfigurations.of(SakerMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context).hasSingleBean(SakerMetricsBinder.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    SakerWebServer server = (SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext) context
                            .getSourceApplicationContext()).getWebServer();
                    try (RawClient client = new RawClient(server.getPort())) {
                        client.send("GET / HTTP/1.1\nHost: a\n\n");
                        assertThat(client.read().status()).isEqualTo(400);
                    }
                    assertThat(registry.get("saker.connections.accepted").functionCounter().count()).isEqualTo(1);
                    assertThat(registry.get("saker.requests.errors").tag("reason", "bad_request").functionCounter().count())
                            .isEqualTo(1);
                    assertThat(registry.get("saker.bytes.received").functionCounter().count()).isPositive();
                    assertThat(registry.get("saker.threads.max").gauge().value()).isEqualTo(200);
                    String transport = server.server().transport().name().toLowerCase(java.util.Locale.ROOT);
                    assertThat(registry.find("saker.connections.active").tags("transport", transport, "server", "application")
                            .gauge()).isNotNull();
                    assertThat(registry.get("saker.sessions.created").functionCounter().count()).isZero();
                });
    }

    private static ServerConfig engineConfig(SakerServletWebServerFactory factory) {
        return factory.engineConfig();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFactory {
        @Bean
        TomcatServletWebServerFactory tomcat() {
            return new TomcatServletWebServerFactory(0);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        SakerServerCustomizer fewerConnections() {
            return config -> config.maxConnections(7);
        }
    }
}
