package dev.saker.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.accesslog.AccessLogSettings;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.accesslog.AccessLog;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;

/** {@code saker.server.accesslog.*} reaching the factory and the engine, and a real request logged to a file. */
class SakerAccessLogAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class))
            .withPropertyValues("server.port=0", "server.address=127.0.0.1");

    @Test
    void offByDefault() {
        runner.run(context -> {
            assertThat(context.getBean(SakerServletWebServerFactory.class).getAccessLog()).isNull();
            assertThat(webServer(context).server().config().accessLog()).isNull();
        });
    }

    @Test
    void propertiesReachTheFactory() {
        runner.withPropertyValues("saker.server.accesslog.enabled=true", "saker.server.accesslog.pattern=%h %s %{X-A}i",
                "saker.server.accesslog.format=json", "saker.server.accesslog.directory=/tmp/logs",
                "saker.server.accesslog.prefix=shop.", "saker.server.accesslog.max-history=3",
                "saker.server.accesslog.queue-size=16").run(context -> {
                    assertThat(context.getBean(SakerServletWebServerFactory.class).getAccessLog()).isEqualTo(
                            new AccessLogSettings("%h %s %{X-A}i", AccessLog.Format.JSON, Path.of("/tmp/logs"), "shop.", 3, 16));
                });
    }

    @Test
    void defaultsAreCommonTextAndTomcatsPrefix() {
        runner.withPropertyValues("saker.server.accesslog.enabled=true").run(context -> assertThat(
                context.getBean(SakerServletWebServerFactory.class).getAccessLog()).isEqualTo(
                        new AccessLogSettings("common", AccessLog.Format.TEXT, null, "access_log.", 30, 8192)));
    }

    @Test
    void anUnknownPatternLetterFailsStartUp() {
        runner.withPropertyValues("saker.server.accesslog.enabled=true", "saker.server.accesslog.pattern=%h %Z")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("%Z"));
    }

    @Test
    void aRequestIsWrittenToTheDaysFileAndTheLogClosesWithTheServer(@TempDir Path dir) {
        AtomicReference<AccessLog> log = new AtomicReference<>();
        runner.withPropertyValues("saker.server.accesslog.enabled=true", "saker.server.accesslog.pattern=%m %U %s %R",
                "saker.server.accesslog.directory=" + dir).run(context -> {
                    SakerWebServer server = webServer(context);
                    log.set((AccessLog) server.server().config().accessLog());
                    try (RawClient client = new RawClient(server.getPort())) {
                        client.send("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n");
                        assertThat(client.read().status()).isEqualTo(404);
                    }
                    Path file = dir.resolve("access_log." + LocalDate.now() + ".log");
                    assertThat(Poll.until(Duration.ofSeconds(10),
                            () -> Files.exists(file) && read(file).equals("GET /nothing 404 -\n"))).isTrue();
                });
        // Closed with the context: what comes later is dropped, not queued for a thread that is gone.
        long dropped = log.get().dropped();
        log.get().log(null);
        assertThat(log.get().dropped()).isEqualTo(dropped + 1);
    }

    @Test
    void theManagementServerGetsItsOwnPrefix() {
        SakerServletWebServerFactory factory = new SakerServletWebServerFactory();
        factory.setAccessLog(new AccessLogSettings("common", AccessLog.Format.TEXT, null, "access_log.", 30, 8192));
        new dev.saker.boot.autoconfigure.actuate.web.server.ManagementAccessLogTestSupport().customize(factory);
        assertThat(factory.getAccessLog().prefix()).isEqualTo("management_access_log.");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static SakerWebServer webServer(org.springframework.context.ApplicationContext context) {
        return (SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext)
                ((org.springframework.boot.test.context.assertj.AssertableWebApplicationContext) context)
                        .getSourceApplicationContext()).getWebServer();
    }
}
