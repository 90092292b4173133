package dev.saker.boot.metrics;

import dev.saker.boot.servlet.SakerServletWebServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.accesslog.AccessLogSettings;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.accesslog.AccessLog;
import dev.saker.server.accesslog.AccessLogOutput;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The access log meters: lines written and lines dropped, only for a server with an access log. */
class SakerMetricsBinderAccessLogTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SakerServletWebServer webServer;

    /** Holds the writer thread on its first line until released, so the queue behind it fills up. */
    private static final class BlockingOutput implements AccessLogOutput {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(String line) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void endBatch() {
        }

        @Override
        public void close() {
        }
    }

    @AfterEach
    void destroy() {
        if (webServer != null) {
            webServer.destroy();
        }
    }

    private void start(SakerServletWebServerFactory factory) {
        webServer = (SakerServletWebServer) factory.getWebServer(context -> context.addServlet("ok", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print("ok");
            }
        }).addMapping("/*"));
        webServer.start();
        SakerMetricsBinder.bind(webServer, Tags.of("server", "application"), registry);
    }

    private void get() throws IOException {
        try (RawClient client = new RawClient(webServer.getPort())) {
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
    }

    private double count(String name) {
        return registry.get(name).tag("server", "application").functionCounter().count();
    }

    @Test
    void linesDroppedWhileTheWriterIsStuckAreCountedAndWrittenOnesToo() throws Exception {
        BlockingOutput output = new BlockingOutput();
        AccessLog log = AccessLog.builder().pattern("%s").queueSize(1).threadName("test-accesslog").output(output).build();
        try {
            SakerServletWebServerFactory factory = new SakerServletWebServerFactory(0);
            factory.addServerCustomizers(config -> config.accessLog(log));
            start(factory);
            assertThat(count("saker.accesslog.dropped")).isZero();
            get();
            assertThat(output.entered.await(10, TimeUnit.SECONDS)).isTrue();
            // The writer holds the first line; one more fits in the queue, the next three are dropped.
            for (int i = 0; i < 4; i++) {
                get();
            }
            assertThat(Poll.until(Duration.ofSeconds(10), () -> log.dropped() == 3)).isTrue();
            assertThat(count("saker.accesslog.dropped")).isEqualTo(3);
            assertThat(count("saker.accesslog.written")).isZero();
            output.release.countDown();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> log.written() == 2)).isTrue();
            assertThat(count("saker.accesslog.written")).isEqualTo(2);
            assertThat(count("saker.accesslog.dropped")).isEqualTo(3);
        } finally {
            output.release.countDown();
            assertThat(log.close(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void writesAnOutputFailsAreCounted() throws Exception {
        AccessLogOutput failing = new AccessLogOutput() {
            @Override
            public void write(String line) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void endBatch() {
            }

            @Override
            public void close() {
            }
        };
        AccessLog log = AccessLog.builder().pattern("%s").threadName("test-accesslog").output(failing).build();
        try {
            SakerServletWebServerFactory factory = new SakerServletWebServerFactory(0);
            factory.addServerCustomizers(config -> config.accessLog(log));
            start(factory);
            assertThat(count("saker.accesslog.failures")).isZero();
            get();
            get();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> log.failures() == 2)).isTrue();
            assertThat(count("saker.accesslog.failures")).isEqualTo(2);
        } finally {
            assertThat(log.close(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theAccessLogFromThePropertiesHasTheMeters() throws Exception {
        SakerServletWebServerFactory factory = new SakerServletWebServerFactory(0);
        factory.setAccessLog(new AccessLogSettings("%s", AccessLog.Format.TEXT, null, "access_log.", 30, 8192));
        start(factory);
        get();
        AccessLog log = (AccessLog) webServer.server().config().accessLog();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> log.written() == 1)).isTrue();
        assertThat(count("saker.accesslog.written")).isEqualTo(1);
        assertThat(count("saker.accesslog.dropped")).isZero();
        assertThat(count("saker.accesslog.failures")).isZero();
    }

    @Test
    void aServerWithoutAnAccessLogHasNoAccessLogMeters() throws Exception {
        start(new SakerServletWebServerFactory(0));
        get();
        assertThat(registry.find("saker.accesslog.dropped").meter()).isNull();
        assertThat(registry.find("saker.accesslog.written").meter()).isNull();
        assertThat(registry.find("saker.accesslog.failures").meter()).isNull();
        assertThat(registry.find("saker.connections.accepted").meter()).isNotNull();
    }
}
