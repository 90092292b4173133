package dev.saker.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** The engine meters added for dashboards: each moves as the server does. */
class SakerMetricsBinderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GET = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(UnaryOperator<ServerConfig.Builder> config, dev.saker.server.http.HttpHandler handler) {
        server = SakerServer.create(config.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)).build(),
                handler).start();
        SakerMetricsBinder.bind(server, registry);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private double counter(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).functionCounter().count();
    }

    @Test
    void queueDepthAndPoolSizeFollowTheWorkerPool() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(b -> b.workerThreads(1).workerQueueCapacity(4), ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.send("ok");
        });
        assertThat(gauge("saker.threads.max")).isEqualTo(1);
        assertThat(gauge("saker.requests.queued")).isZero();
        try (RawClient first = new RawClient(server.port()); RawClient second = new RawClient(server.port())) {
            first.send(GET);
            assertThat(Poll.until(WAIT, () -> gauge("saker.threads.busy") == 1)).isTrue();
            second.send(GET);
            assertThat(Poll.until(WAIT, () -> gauge("saker.requests.queued") == 1)).isTrue();
            assertThat(gauge("saker.threads.current")).isEqualTo(1);
            release.countDown();
            assertThat(first.read().status()).isEqualTo(200);
            assertThat(second.read().status()).isEqualTo(200);
        } finally {
            release.countDown();
        }
        assertThat(Poll.until(WAIT, () -> gauge("saker.requests.queued") == 0 && gauge("saker.threads.busy") == 0)).isTrue();
        // the idle thread stays until its keep-alive ends
        assertThat(gauge("saker.threads.current")).isEqualTo(1);
    }

    @Test
    void connectionsAreCountedPerEventLoopAndTheMaximumIsShown() throws Exception {
        start(b -> b.ioThreads(2).maxConnections(50), ex -> ex.send("ok"));
        assertThat(gauge("saker.connections.max")).isEqualTo(50);
        assertThat(registry.get("saker.connections.loop.active").gauges()).hasSize(2);
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                RawClient client = new RawClient(server.port());
                clients.add(client);
                assertThat(client.send(GET).read().status()).isEqualTo(200);
            }
            assertThat(Poll.until(WAIT, () -> loopTotal() == 6)).isTrue();
            assertThat(gauge("saker.connections.active")).isEqualTo(6);
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
        assertThat(Poll.until(WAIT, () -> loopTotal() == 0)).isTrue();
    }

    private double loopTotal() {
        double total = 0;
        for (String loop : List.of("0", "1")) {
            total += registry.get("saker.connections.loop.active").tag("loop", loop).gauge().value();
        }
        return total;
    }

    @Test
    void noConnectionLimitIsShownAsMinusOne() {
        start(b -> b.maxConnections(-1), ex -> ex.send("ok"));
        assertThat(gauge("saker.connections.max")).isEqualTo(-1);
    }

    @Test
    void aKeepAliveTimeoutMovesTheTimeoutAndCloseCounters() throws Exception {
        start(b -> b.keepAliveTimeout(Duration.ofMillis(200)), ex -> ex.send("ok"));
        assertThat(registry.get("saker.timeouts").functionCounters()).hasSize(TimeoutKind.values().length);
        assertThat(registry.get("saker.connections.closed").functionCounters()).hasSize(CloseReason.values().length);
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.send(GET).read().status()).isEqualTo(200);
            assertThat(client.closedByServer(10_000)).isTrue();
        }
        assertThat(Poll.until(WAIT, () -> counter("saker.connections.closed", "reason", "keep_alive_timeout") == 1))
                .isTrue();
        assertThat(counter("saker.timeouts", "kind", "keep_alive")).isEqualTo(1);
        assertThat(counter("saker.timeouts", "kind", "head")).isZero();
        assertThat(counter("saker.connections.closed", "reason", "client")).isZero();
    }

    @Test
    void aMalformedRequestMovesTheParseErrorAndCloseCounters() throws Exception {
        start(b -> b, ex -> ex.send("ok"));
        assertThat(registry.get("saker.parse.errors").functionCounters()).hasSize(ReasonMeters.PARSE_REASONS.size() + 1);
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.send("GET / HTTP/1.1\r\n\r\n").read().status()).isEqualTo(400);
        }
        assertThat(Poll.until(WAIT, () -> counter("saker.connections.closed", "reason", "parse_error") == 1)).isTrue();
        assertThat(counter("saker.parse.errors", "reason", "host")).isEqualTo(1);
        assertThat(counter("saker.parse.errors", "reason", ReasonMeters.OTHER)).isZero();
        assertThat(counter("saker.requests.errors", "reason", "bad_request")).isEqualTo(1);
    }

    @Test
    void everyMeterCarriesTheServerTag() throws IOException {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build(), ex -> ex.send("ok"))
                .start();
        SakerMetricsBinder.bind(server, Tags.of("server", "management"), registry);
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter ->
                assertThat(meter.getId().getTag("server")).as(meter.getId().getName()).isEqualTo("management"));
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsReportAFiniteMaximum() {
        start(b -> b.dispatchMode(DispatchMode.VIRTUAL_THREADS).maxConnections(300), ex -> ex.send("ok"));
        assertThat(gauge("saker.threads.max")).isEqualTo(300);
        server.stop();
        server = null;
        registry.clear();
        start(b -> b.dispatchMode(DispatchMode.VIRTUAL_THREADS).maxConnections(300).http2(true)
                .http2MaxHandlersPerConnection(20), ex -> ex.send("ok"));
        assertThat(gauge("saker.threads.max")).isEqualTo(300 * 20);
        Gauge max = registry.get("saker.threads.max").gauge();
        assertThat(Double.isFinite(max.value())).isTrue();
    }
}
