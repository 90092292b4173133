package dev.saker.boot.autoconfigure.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerServerCustomizer;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.boot.reactive.SakerReactiveWebServerFactory;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.dispatch.DispatchMode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;

class SakerReactiveWebServerAutoConfigurationTest {

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SakerReactiveWebServerAutoConfiguration.class,
                    SakerServletWebServerAutoConfiguration.class));

    @Test
    void aReactiveApplicationGetsTheReactiveFactoryWithThePropertiesMapped() {
        reactive.withPropertyValues("server.port=0", "server.max-http-request-header-size=12KB",
                        "saker.server.keep-alive-timeout=7s", "server.server-header=Mine")
                .run(context -> {
                    assertThat(context).hasSingleBean(SakerReactiveWebServerFactory.class);
                    assertThat(context).doesNotHaveBean(ServletWebServerFactory.class);
                    SakerReactiveWebServerFactory factory = context.getBean(SakerReactiveWebServerFactory.class);
                    // the customizers run when the web server is made; apply them as Boot does
                    context.getBeansOfType(org.springframework.boot.web.server.WebServerFactoryCustomizer.class).values()
                            .forEach(customizer -> customize(customizer, factory));
                    var config = factory.engineConfig();
                    assertThat(config.maxHeadSize()).isEqualTo(12 * 1024);
                    assertThat(config.keepAliveTimeout()).hasSeconds(7);
                    assertThat(config.dispatchMode()).isEqualTo(DispatchMode.EVENT_LOOP);
                });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void customize(org.springframework.boot.web.server.WebServerFactoryCustomizer customizer,
                                  SakerReactiveWebServerFactory factory) {
        customizer.customize(factory);
    }

    @Test
    void nativeForwardedHeadersAreMappedWithTheTrustedProxies() {
        reactive.withPropertyValues("server.forward-headers-strategy=native", "saker.server.forwarded.trusted-proxies=10\\..*")
                .run(context -> {
                    SakerReactiveWebServerFactory factory = customized(context);
                    assertThat(factory.isUseForwardHeaders()).isTrue();
                    assertThat(factory.getTrustedProxies()).isEqualTo("10\\..*");
                });
        reactive.withPropertyValues("server.forward-headers-strategy=framework")
                .run(context -> assertThat(customized(context).isUseForwardHeaders()).isFalse());
        reactive.run(context -> assertThat(customized(context).isUseForwardHeaders()).isFalse());
        // Unset on a platform that fronts applications with a proxy: on, as for Servlet applications.
        reactive.withPropertyValues("spring.main.cloud-platform=kubernetes")
                .run(context -> assertThat(customized(context).isUseForwardHeaders()).isTrue());
    }

    private static SakerReactiveWebServerFactory customized(org.springframework.context.ApplicationContext context) {
        SakerReactiveWebServerFactory factory = context.getBean(SakerReactiveWebServerFactory.class);
        context.getBeansOfType(org.springframework.boot.web.server.WebServerFactoryCustomizer.class).values()
                .forEach(customizer -> customize(customizer, factory));
        return factory;
    }

    @Test
    void serverReactivePropertiesAreNotReportedAsIgnoredForAReactiveApplication() {
        reactive.withPropertyValues("server.reactive.session.timeout=5m", "server.tomcat.threads.max=5").run(context -> {
            dev.saker.boot.autoconfigure.IgnoredServerPropertiesReporter reporter =
                    context.getBean(dev.saker.boot.autoconfigure.IgnoredServerPropertiesReporter.class);
            assertThat(reporter.ignoredKeysFor(context.getBean(SakerReactiveWebServerFactory.class)))
                    .containsKey("server.tomcat.threads.max").doesNotContainKey("server.reactive.session.timeout");
            assertThat(reporter.ignoredKeysFor(new SakerServletWebServerFactory())).containsKey("server.reactive.session.timeout");
        });
    }

    @Test
    void sakerServerCustomizerBeansReachTheEngineConfig() {
        reactive.withBean(SakerServerCustomizer.class, () -> config -> config.maxConnections(42))
                .run(context -> assertThat(context.getBean(SakerReactiveWebServerFactory.class).engineConfig().maxConnections())
                        .isEqualTo(42));
    }

    @Test
    void worksWithoutTheServletContainerOnTheClassPath() {
        reactive.withClassLoader(new FilteredClassLoader("dev.saker.servlet", "jakarta.servlet"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(SakerReactiveWebServerFactory.class);
                });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnFactory() {
        reactive.withBean("custom", ReactiveWebServerFactory.class, () -> new SakerReactiveWebServerFactory(1234))
                .run(context -> assertThat(context).hasSingleBean(ReactiveWebServerFactory.class).hasBean("custom"));
    }

    @Test
    void backsOffWithoutTheReactiveAdapterAndLeavesServletApplicationsAlone() {
        reactive.withClassLoader(new FilteredClassLoader("dev.saker.reactive"))
                .run(context -> assertThat(context).doesNotHaveBean(ReactiveWebServerFactory.class));
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SakerReactiveWebServerAutoConfiguration.class,
                        SakerServletWebServerAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(SakerServletWebServerFactory.class);
                    assertThat(context).doesNotHaveBean(ReactiveWebServerFactory.class);
                });
    }
}
