package dev.saker.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Every {@code server.*} key is honoured, refused, or warned about; forwarded headers follow the cloud platform. */
@ExtendWith(OutputCaptureExtension.class)
class ServerPropertiesAuditTest {

    private static final String WARNING = "Saker is the web server: these properties have no effect";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                    TomcatServletWebServerAutoConfiguration.class))
            .withPropertyValues("server.port=0", "server.address=127.0.0.1");

    @Test
    void tomcatAndJettyKeysGetOneWarningNamingEachAndItsSakerEquivalent(CapturedOutput output) {
        runner.withPropertyValues("server.tomcat.max-connections=50", "server.tomcat.threads.max=20",
                "server.tomcat.connection-timeout=5s", "server.tomcat.max-swallow-size=1MB", "server.tomcat.max-part-count=5",
                "server.tomcat.accesslog.enabled=true", "server.jetty.threads.selectors=2",
                "server.jetty.connection-idle-timeout=9s", "server.max-http-header-size=4KB")
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of("SERVER_TOMCAT_MAX_KEEP_ALIVE_REQUESTS", "7"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    String[] warnings = Arrays.stream(output.getAll().split("\\R")).filter(line -> line.contains(WARNING))
                            .toArray(String[]::new);
                    assertThat(warnings).hasSize(1);
                    assertThat(warnings[0]).contains("WARN")
                            .contains("server.tomcat.max-connections (saker.server.max-connections)")
                            .contains("server.tomcat.threads.max (saker.server.threads.max)")
                            .contains("server.tomcat.connection-timeout (saker.server.head-timeout)")
                            .contains("server.tomcat.max-swallow-size (saker.server.drain-limit)")
                            .contains("server.tomcat.max-part-count (saker.server.max-part-count)")
                            .contains("server.tomcat.accesslog.enabled (saker.server.accesslog.*")
                            .contains("server.jetty.threads.selectors (saker.server.io-threads)")
                            .contains("server.jetty.connection-idle-timeout (saker.server.keep-alive-timeout)")
                            .contains("server.max-http-header-size (server.max-http-request-header-size)")
                            .contains("(saker.server.max-keep-alive-requests)");
                });
    }

    @Test
    void noWarningWhenEveryKeyIsHonoured(CapturedOutput output) {
        runner.withPropertyValues("server.servlet.context-path=/shop", "server.compression.enabled=true",
                "saker.server.max-connections=10").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).doesNotContain(WARNING);
                });
    }

    @Test
    void bootsPortableServerKeysReachTheFactory() {
        runner.withPropertyValues("server.servlet.context-path=/shop", "server.servlet.application-display-name=shop",
                "server.servlet.context-parameters.a=alpha", "server.servlet.session.timeout=5m",
                "server.servlet.session.cookie.name=SID", "server.servlet.session.tracking-modes=cookie",
                "server.servlet.encoding.mapping.de=UTF-8", "server.compression.enabled=true",
                "server.compression.min-response-size=1KB", "server.server-header=Shop", "server.shutdown=immediate",
                "server.max-http-request-header-size=16KB").run(context -> {
                    assertThat(context).hasNotFailed();
                    SakerServletWebServerFactory factory = context.getBean(SakerServletWebServerFactory.class);
                    assertThat(factory.getSettings().getContextPath().toString()).isEqualTo("/shop");
                    assertThat(factory.getSettings().getDisplayName()).isEqualTo("shop");
                    assertThat(factory.getSettings().getInitParameters()).containsEntry("a", "alpha");
                    assertThat(factory.getSettings().getSession().getTimeout()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(factory.getSettings().getSession().getCookie().getName()).isEqualTo("SID");
                    assertThat(factory.getSettings().getLocaleCharsetMappings())
                            .containsEntry(Locale.GERMAN, StandardCharsets.UTF_8);
                    assertThat(factory.getCompression().getMinResponseSize().toKilobytes()).isEqualTo(1);
                    assertThat(factory.getShutdown()).isEqualTo(Shutdown.IMMEDIATE);
                    assertThat(factory.engineConfig().serverHeader()).isEqualTo("Shop");
                    assertThat(factory.engineConfig().maxHeadSize()).isEqualTo(16 * 1024);
                    assertThat(factory.engineConfig().host()).isEqualTo("127.0.0.1");
                });
    }

    @Test
    void forwardHeadersAreNativeOnACloudPlatformWhenNoStrategyIsSet() {
        runner.run(context -> assertThat(context.getBean(SakerServletWebServerFactory.class).isUseForwardHeaders())
                .isFalse());
        runner.withPropertyValues("spring.main.cloud-platform=kubernetes").run(context -> assertThat(
                context.getBean(SakerServletWebServerFactory.class).isUseForwardHeaders()).isTrue());
        runner.withPropertyValues("spring.main.cloud-platform=kubernetes", "server.forward-headers-strategy=none")
                .run(context -> assertThat(context.getBean(SakerServletWebServerFactory.class).isUseForwardHeaders())
                        .isFalse());
        runner.withPropertyValues("server.forward-headers-strategy=native").run(context -> assertThat(
                context.getBean(SakerServletWebServerFactory.class).isUseForwardHeaders()).isTrue());
    }

    @Test
    void adviceMatchesExactKeysPrefixesAndEnvironmentVariableForms() {
        assertThat(IgnoredServerProperties.advice("server.tomcat.remoteip.trusted-proxies"))
                .isEqualTo("saker.server.forwarded.trusted-proxies");
        assertThat(IgnoredServerProperties.advice("server.tomcat.remoteip.port-header")).contains("forward-headers-strategy");
        assertThat(IgnoredServerProperties.advice("server.tomcat.max.connections")).isEqualTo("saker.server.max-connections");
        assertThat(IgnoredServerProperties.advice("server.tomcat.something-new")).isEqualTo("no Saker equivalent");
        assertThat(IgnoredServerProperties.advice("server.netty.idle-timeout")).isEqualTo("saker.server.keep-alive-timeout");
        assertThat(IgnoredServerProperties.advice("server.netty.max.keep.alive.requests"))
                .isEqualTo("saker.server.max-keep-alive-requests");
        assertThat(IgnoredServerProperties.advice("server.netty.something-new")).startsWith("Reactor Netty's settings");
        assertThat(IgnoredServerProperties.advice("server.port")).isNull();
        assertThat(IgnoredServerProperties.advice("server.servlet.context-path")).isNull();
        assertThat(IgnoredServerProperties.advice("server.error.path")).isEqualTo("spring.web.error.*");
    }
}
