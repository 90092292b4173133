package dev.saker.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A WebFlux application with actuator on its own port ({@code management.server.port}): Boot starts
 * the management server in a child context, and it is Saker too (Tomcat's reactive factory is on
 * this module's test class path and loses).
 */
class ReactiveManagementPortTest {

    private static ConfigurableApplicationContext context;
    private static int port;
    private static int managementPort;

    @BeforeAll
    static void start() {
        context = WebFluxApps.start(App.class, "management.server.port=0", "server.server-header=saker-test",
                WebFluxApps.WITHOUT_SECURITY);
        port = context.getEnvironment().getProperty("local.server.port", Integer.class);
        managementPort = context.getEnvironment().getProperty("local.management.port", Integer.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void healthAnswersOnTheManagementPortOnly() throws Exception {
        assertThat(managementPort).isPositive().isNotEqualTo(port);
        RawClient.Response health = get(managementPort, "/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.bodyText()).contains("\"status\":\"UP\"");
        // Saker's property mapping ran in the management context too.
        assertThat(health.header("server")).isEqualTo("saker-test");
        assertThat(get(port, "/actuator/health").status()).isEqualTo(404);
        assertThat(get(port, "/hello").bodyText()).isEqualTo("hello");
        assertThat(get(managementPort, "/hello").status()).isEqualTo(404);
    }

    @Test
    void bothServersAreSakerWithTheirMeters() throws Exception {
        assertThat(context.getBean(ReactiveWebServerFactory.class)).isInstanceOf(SakerReactiveWebServerFactory.class);
        assertThat(context.getBean(ManagementContextFactory.class))
                .isSameAs(context.getBean("sakerReactiveWebChildContextFactory"));
        get(managementPort, "/actuator/health");
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        // Saker's binder registers the meters of every Saker web server, tagged with the server it counts.
        for (String server : new String[] {"application", "management"}) {
            assertThat(registry.find("saker.connections.accepted").tag("server", server).functionCounter())
                    .as("saker.connections.accepted of the " + server + " server").isNotNull();
        }
        assertThat(registry.get("saker.connections.accepted").tag("server", "management").functionCounter().count())
                .isPositive();
        assertThat(registry.find("saker.websocket.sessions.active").tag("server", "application").gauge()).isNotNull();
    }

    private static RawClient.Response get(int port, String path) throws Exception {
        try (RawClient client = new RawClient(port)) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n").read();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Hello hello() {
            return new Hello();
        }
    }

    @RestController
    static class Hello {

        @GetMapping("/hello")
        String hello() {
            return "hello";
        }
    }
}
